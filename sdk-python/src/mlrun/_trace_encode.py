"""Ended spans → one serialized OTLP ExportTraceServiceRequest, written in protobuf wire format by hand.

Like the log records (`_encode.py`), and for the same reason: message objects cost several times the CPU, on
the sender thread but under the GIL. Field numbers: opentelemetry/proto/trace/v1/trace.proto and
common/v1/common.proto (docs: /work/shared/reference/protocol.md §2); tests parse the output with the
opentelemetry-proto classes. Spans are grouped by resource (a run's spans carry its resource; a span that
outlived its run keeps that run's resource on the process's trace pipeline), one ScopeSpans (`mlrun`) each.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any

from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.trace import SpanContext

from . import __version__
from ._encode import INT64_MAX, INT64_MIN, _field, _varint, any_value
from ._span import Span

_DOUBLE = struct.Struct("<d").pack
_FIXED64 = struct.Struct("<Q").pack
_FIXED32 = struct.Struct("<I").pack

HAS_IS_REMOTE = 0x100  # SpanFlags.CONTEXT_HAS_IS_REMOTE_MASK
IS_REMOTE = 0x200  # SpanFlags.CONTEXT_IS_REMOTE_MASK


def resource_field(attributes: Mapping[str, Any]) -> bytes:
    """`ResourceSpans.resource = 1`, serialized once per run (or per trace pipeline)."""
    res = Resource(attributes=[KeyValue(key=k, value=any_value(v)) for k, v in attributes.items()])
    return _field(b"\x0a", res.SerializeToString())


_SCOPE = _field(b"\x0a", InstrumentationScope(name="mlrun", version=__version__).SerializeToString())


def _text(value: str) -> bytes:
    return value.encode("utf-8", "replace")


def _any(value: Any) -> bytes:
    """AnyValue bytes: scalars by hand, nested values through the proto classes."""
    if isinstance(value, str):
        return _field(b"\x0a", _text(value))  # string_value = 1
    if isinstance(value, bool):
        return b"\x10\x01" if value else b"\x10\x00"  # bool_value = 2
    if isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
        return b"\x18" + _varint(value & 0xFFFFFFFFFFFFFFFF)  # int_value = 3
    if isinstance(value, float):
        return b"\x21" + _DOUBLE(value)  # double_value = 4
    return bytes(any_value(value).SerializeToString())


def _attributes(tag: bytes, attributes: Mapping[str, Any]) -> list[bytes]:
    # KeyValue{key = 1, value = 2}, under the field `tag` of the enclosing message.
    return [_field(tag, _field(b"\x0a", _text(k)) + _field(b"\x12", _any(v))) for k, v in attributes.items()]


def _ids(context: SpanContext) -> bytes:
    return b"\x0a\x10" + context.trace_id.to_bytes(16, "big") + b"\x12\x08" + context.span_id.to_bytes(8, "big")


def _link(context: SpanContext, attributes: Mapping[str, Any]) -> bytes:
    parts = [_ids(context)]  # Link.trace_id = 1, span_id = 2
    if len(context.trace_state):
        parts.append(_field(b"\x1a", _text(context.trace_state.to_header())))  # trace_state = 3
    parts.extend(_attributes(b"\x22", attributes))  # attributes = 4
    flags = int(context.trace_flags) | HAS_IS_REMOTE | (IS_REMOTE if context.is_remote else 0)
    parts.append(b"\x35" + _FIXED32(flags))  # flags = 6 (fixed32)
    return b"".join(parts)


def encode_span(span: Span) -> bytes:
    """One Span message (the span must have ended)."""
    context = span.get_span_context()
    parts = [_ids(context)]  # trace_id = 1, span_id = 2
    if len(context.trace_state):
        parts.append(_field(b"\x1a", _text(context.trace_state.to_header())))  # trace_state = 3
    if span.parent is not None:
        parts.append(b"\x22\x08" + span.parent.span_id.to_bytes(8, "big"))  # parent_span_id = 4
    parts.append(_field(b"\x2a", _text(span.name)))  # name = 5
    parts.append(b"\x30" + _varint(span.kind.value + 1))  # kind = 6: the API's INTERNAL = 0 is OTLP's 1
    end = span.end_time if span.end_time is not None else span.start_time
    parts.append(b"\x39" + _FIXED64(span.start_time) + b"\x41" + _FIXED64(end))  # start = 7, end = 8 (fixed64)
    parts.extend(_attributes(b"\x4a", span.attributes))  # attributes = 9
    if span.dropped_attributes:
        parts.append(b"\x50" + _varint(span.dropped_attributes))  # dropped_attributes_count = 10
    for t, name, attributes in span.events:  # events = 11: Event{time = 1 (fixed64), name = 2, attributes = 3}
        parts.append(_field(b"\x5a", b"\x09" + _FIXED64(t) + _field(b"\x12", _text(name)) + b"".join(_attributes(b"\x1a", attributes))))
    if span.dropped_events:
        parts.append(b"\x60" + _varint(span.dropped_events))  # dropped_events_count = 12
    parts.extend(_field(b"\x6a", _link(c, a)) for c, a in span.links)  # links = 13
    if span.dropped_links:
        parts.append(b"\x70" + _varint(span.dropped_links))  # dropped_links_count = 14
    if span.status_code.value or span.status_message:
        status = (_field(b"\x12", _text(span.status_message)) if span.status_message else b"") + b"\x18" + _varint(span.status_code.value)
        parts.append(_field(b"\x7a", status))  # status = 15: Status{message = 2, code = 3}
    flags = int(context.trace_flags) | HAS_IS_REMOTE | (IS_REMOTE if span.parent is not None and span.parent.is_remote else 0)
    parts.append(b"\x85\x01" + _FIXED32(flags))  # flags = 16 (fixed32): trace flags + whether the parent is remote
    return b"".join(parts)


def encode_spans(spans: Iterable[tuple[bytes, Span]]) -> bytes:
    """One ExportTraceServiceRequest from (resource field, span) pairs; one ResourceSpans per resource."""
    groups: dict[bytes, list[bytes]] = {}
    for resource, span in spans:
        groups.setdefault(resource, []).append(_field(b"\x12", encode_span(span)))  # ScopeSpans.spans = 2
    out = []
    for resource, encoded in groups.items():
        scope_spans = _field(b"\x12", _SCOPE + b"".join(encoded))  # ResourceSpans.scope_spans = 2
        out.append(_field(b"\x0a", resource + scope_spans))  # ExportTraceServiceRequest.resource_spans = 1
    return b"".join(out)
