"""Spans without a server: the OTel-API span, its hand-written OTLP encoding checked against the
opentelemetry-proto classes, and the GenAI message conversion."""

from __future__ import annotations

import json
import math

from opentelemetry import context, trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)
from opentelemetry.trace import (
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    TraceState,
)
from trace_support import value_of, wire_spans

from mlrun._encode import count_records
from mlrun._genai import input_messages, output_messages
from mlrun._span import MAX_ATTRIBUTES, Span
from mlrun._trace_encode import encode_spans, resource_field


def make(name: str, sink: list[Span], **kwargs: object) -> Span:
    return Span(name, on_end=sink.append, **kwargs)  # type: ignore[arg-type]


def test_span_is_an_otel_api_span_that_nests_through_the_api_context() -> None:
    sink: list[Span] = []
    outer = make("outer", sink)
    assert isinstance(outer, trace.Span) and outer.is_recording() and outer.parent is None
    token = context.attach(trace.set_span_in_context(outer))
    try:
        assert trace.get_current_span() is outer
        inner = make("inner", sink)
    finally:
        context.detach(token)
    assert trace.get_current_span() is not outer
    assert inner.parent == outer.get_span_context()
    assert inner.get_span_context().trace_id == outer.get_span_context().trace_id
    assert inner.get_span_context().span_id != outer.get_span_context().span_id
    assert len(inner.trace_id) == 32 and len(inner.span_id) == 16
    inner.end()
    inner.end()  # ended once
    inner.set_attribute("late", 1)
    outer.end()
    assert sink == [inner, outer] and "late" not in inner.attributes and not inner.is_recording()


def test_a_foreign_span_in_the_context_is_the_parent() -> None:
    # What an application's OTel SDK span (or an incoming traceparent) looks like to the API.
    foreign = SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, is_remote=True, trace_flags=TraceFlags(1), trace_state=TraceState([("vendor", "x")]))
    sink: list[Span] = []
    with trace.use_span(NonRecordingSpan(foreign)):
        span = make("child", sink)
    span.end()
    assert span.parent == foreign
    assert span.get_span_context().trace_id == foreign.trace_id and span.get_span_context().trace_state == foreign.trace_state
    [wire] = wire_spans(encode_spans([(resource_field({}), span)]))
    assert wire.trace_id == "0af7651916cd43dd8448eb211c80319c" and wire.parent_id == "b7ad6b7169203331"
    assert wire.flags == 0x301  # sampled, has-is-remote, parent is remote


def test_encoding_parses_with_the_official_classes() -> None:
    sink: list[Span] = []
    link = SpanContext(0x1234, 0x5678, is_remote=False, trace_flags=TraceFlags(1))
    span = make("chat gpt-4o", sink, kind=SpanKind.CLIENT, start_time=1_700_000_000_000_000_001, attributes={
        "s": "ünï", "i": -(2**40), "big": 2**70, "f": 0.25, "nan": math.nan, "b": False, "arr": ["a", "b"], "nested": {"k": [1, 2.5]}, "none": None,
    })
    span.add_event("first", {"n": 1}, timestamp=1_700_000_000_000_000_002)
    span.add_link(link, {"why": "retry"})
    span.set_status(Status(StatusCode.ERROR, "boom"))
    span.update_name("chat gpt-4o-mini")
    span.end(1_700_000_000_000_000_009)
    plain = make("plain", sink)
    plain.set_status(StatusCode.OK, "ignored for OK")
    plain.set_status(StatusCode.ERROR, "OK is final")
    plain.end()
    run_resource = resource_field({"service.name": "mlrun-python", "mlrun.project": "p", "mlrun.run.id": "r1"})
    payload = encode_spans([(run_resource, span), (resource_field({"mlrun.project": "p"}), plain)])

    request = ExportTraceServiceRequest()
    request.ParseFromString(payload)
    assert len(request.resource_spans) == 2
    s = request.resource_spans[0].scope_spans[0].spans[0]
    assert {kv.key: value_of(kv.value) for kv in request.resource_spans[0].resource.attributes} == {"service.name": "mlrun-python", "mlrun.project": "p", "mlrun.run.id": "r1"}
    assert s.trace_id == span.get_span_context().trace_id.to_bytes(16, "big") and s.span_id == span.get_span_context().span_id.to_bytes(8, "big")
    assert s.parent_span_id == b"" and s.name == "chat gpt-4o-mini" and s.kind == 3  # CLIENT
    assert (s.start_time_unix_nano, s.end_time_unix_nano) == (1_700_000_000_000_000_001, 1_700_000_000_000_000_009)
    attrs = {kv.key: value_of(kv.value) for kv in s.attributes}
    assert math.isnan(attrs.pop("nan"))
    assert attrs == {"s": "ünï", "i": -(2**40), "big": str(2**70), "f": 0.25, "b": False, "arr": ["a", "b"], "nested": {"k": [1, 2.5]}}
    assert [(e.name, e.time_unix_nano, {kv.key: value_of(kv.value) for kv in e.attributes}) for e in s.events] == [("first", 1_700_000_000_000_000_002, {"n": 1})]
    [lk] = s.links
    assert lk.trace_id == (0x1234).to_bytes(16, "big") and lk.span_id == (0x5678).to_bytes(8, "big") and lk.flags == 0x101
    assert value_of(lk.attributes[0].value) == "retry"
    assert (s.status.code, s.status.message) == (2, "boom") and s.flags == 0x101
    p = request.resource_spans[1].scope_spans[0].spans[0]
    assert (p.status.code, p.status.message, p.kind) == (1, "", 1)  # OK, INTERNAL
    assert count_records(payload, "traces") == 2


def test_limits_count_what_they_drop() -> None:
    sink: list[Span] = []
    span = make("busy", sink)
    for i in range(MAX_ATTRIBUTES + 5):
        span.set_attribute(f"k{i}", i)
    span.set_attribute("k0", "replaced")  # an existing key is replaced, not dropped
    for i in range(130):
        span.add_event(f"e{i}")
    span.end()
    request = ExportTraceServiceRequest()
    request.ParseFromString(encode_spans([(resource_field({}), span)]))
    s = request.resource_spans[0].scope_spans[0].spans[0]
    assert len(s.attributes) == MAX_ATTRIBUTES and s.dropped_attributes_count == 5 and value_of(s.attributes[0].value) == "replaced"
    assert len(s.events) == 128 and s.dropped_events_count == 2


def test_record_exception_event() -> None:
    sink: list[Span] = []
    span = make("fails", sink)
    try:
        json.loads("{")
    except ValueError as error:
        span.record_exception(error, {"extra": 1})
    span.end()
    [(name, attrs)] = wire_spans(encode_spans([(resource_field({}), span)]))[0].events
    assert name == "exception" and attrs["exception.type"] == "json.decoder.JSONDecodeError" and attrs["extra"] == 1
    assert attrs["exception.message"].startswith("Expecting property name") and 'json.loads("{")' in attrs["exception.stacktrace"]


def test_openai_messages_become_structured_parts() -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": [{"type": "text", "text": "weather in Paris?"}]},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "18C"},
    ]
    assert input_messages(messages) == [
        {"role": "system", "parts": [{"type": "text", "content": "be brief"}]},
        {"role": "user", "parts": [{"type": "text", "content": "weather in Paris?"}]},
        {"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "weather", "arguments": {"city": "Paris"}}]},
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c1", "result": "18C"}]},
    ]
    assert input_messages("hi") == [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
    choice = {"index": 0, "message": {"role": "assistant", "content": "Sunny"}, "finish_reason": "length"}
    assert output_messages([choice]) == [{"role": "assistant", "parts": [{"type": "text", "content": "Sunny"}], "finish_reason": "length"}]
    assert output_messages("Sunny", ["stop"]) == [{"role": "assistant", "parts": [{"type": "text", "content": "Sunny"}], "finish_reason": "stop"}]


def test_anthropic_blocks_and_structured_messages() -> None:
    anthropic = [
        {"role": "assistant", "content": [{"type": "text", "text": "let me look"}, {"type": "tool_use", "id": "t1", "name": "search", "input": {"q": "x"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "found"}]},
    ]
    assert input_messages(anthropic) == [
        {"role": "assistant", "parts": [{"type": "text", "content": "let me look"}, {"type": "tool_call", "id": "t1", "name": "search", "arguments": {"q": "x"}}]},
        {"role": "user", "parts": [{"type": "tool_call_response", "id": "t1", "result": "found"}]},
    ]
    structured = [{"role": "user", "parts": [{"type": "text", "content": "as is"}]}]
    assert input_messages(structured) == structured

    class Pydantic:  # the providers' SDK objects are pydantic models
        def model_dump(self) -> dict[str, object]:
            return {"role": "assistant", "content": "from an SDK object"}

    assert output_messages([Pydantic()]) == [{"role": "assistant", "parts": [{"type": "text", "content": "from an SDK object"}], "finish_reason": "stop"}]
