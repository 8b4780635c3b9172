"""OTLP encoding of queued records: Python values → AnyValue, queued tuples → one ExportLogsServiceRequest.

Runs on the background thread only; the caller's thread never touches protobuf.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Iterable, Mapping
from typing import Any, Union

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource

from . import __version__


INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

# A metrics row: (time_unix_nano, step, {key: int|float|bool}).
MetricsItem = tuple[int, int, dict[str, Union[int, float]]]
# Any other event: (time_unix_nano, event_name, attributes, body or None).
EventItem = tuple[int, str, dict[str, Any], Any]
Item = Union[MetricsItem, EventItem]


def plain(value: Any) -> Any:
    """A config-like object as plain dicts/lists: OmegaConf/Hydra (duck-typed), dataclasses, Namespaces, mappings."""
    module = type(value).__module__ or ""
    if module.startswith("omegaconf"):
        # One conversion for every path (resolve, else unresolved with a warning; `???` kept as text).
        from .integrations.hydra import to_plain_config

        return to_plain_config(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return dict(value)
    if hasattr(value, "__dict__") and type(value).__name__ == "Namespace":
        return dict(vars(value))
    return value


def any_value(value: Any, depth: int = 0) -> AnyValue:
    """Lossless where OTLP allows: nested mappings → KvList, sequences → array, other objects → their str()."""
    out = AnyValue()
    if value is None:
        return out
    if isinstance(value, bool):
        out.bool_value = value
    elif isinstance(value, int):
        if INT64_MIN <= value <= INT64_MAX:
            out.int_value = value
        else:
            out.string_value = str(value)
    elif isinstance(value, float):
        out.double_value = value
    elif isinstance(value, str):
        out.string_value = value
    elif isinstance(value, (bytes, bytearray)):
        out.bytes_value = bytes(value)
    elif depth > 32:
        out.string_value = repr(value)
    else:
        converted = plain(value)
        if isinstance(converted, Mapping):
            kv = out.kvlist_value.values
            for k, v in converted.items():
                kv.append(KeyValue(key=str(k), value=any_value(v, depth + 1)))
            # An empty mapping must still read as a KvList, not as an empty AnyValue.
            out.kvlist_value.SetInParent()
        elif isinstance(converted, (list, tuple, set, frozenset)):
            arr = out.array_value.values
            for v in converted:
                arr.append(any_value(v, depth + 1))
            out.array_value.SetInParent()
        elif hasattr(converted, "item") and callable(converted.item):
            try:
                return any_value(converted.item(), depth + 1)
            except Exception:
                out.string_value = str(converted)
        else:
            out.string_value = str(converted)
    return out


_DOUBLE = struct.Struct("<d").pack
_FIXED64 = struct.Struct("<Q").pack
_SMALL = [bytes((n,)) for n in range(128)]


def _varint(n: int) -> bytes:
    if n < 128:
        return _SMALL[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _field(tag: bytes, payload: bytes) -> bytes:
    return tag + _varint(len(payload)) + payload


class Encoder:
    """Turns queued items into serialized ExportLogsServiceRequests; gives every record its `mlrun.record.id`.

    The log records are written in protobuf wire format by hand: building message objects costs ~10x more
    CPU (under the GIL, i.e. taken from the training loop). The resource, the scope and the values of
    non-metric events still go through the opentelemetry-proto classes; tests parse the output with them.
    Field numbers: opentelemetry/proto/logs/v1/logs.proto and common/v1/common.proto."""

    def __init__(self, resource: Mapping[str, Any], id_prefix: str) -> None:
        res = Resource(attributes=[KeyValue(key=k, value=any_value(v)) for k, v in resource.items()])
        scope = InstrumentationScope(name="mlrun", version=__version__)
        self._resource_field = _field(b"\x0a", res.SerializeToString())  # ResourceLogs.resource = 1
        self._scope_field = _field(b"\x0a", scope.SerializeToString())  # ScopeLogs.scope = 1
        self.resource = dict(resource)  # the system-metrics requests carry the same resource
        self._prefix = id_prefix
        self._id_key = _field(b"\x0a", b"mlrun.record.id")  # KeyValue.key = 1
        self._step_key = _field(b"\x0a", b"mlrun.step")
        self._seq = 0
        self._double_prefix: dict[str, bytes] = {}
        self._key_field: dict[str, bytes] = {}
        self._events: dict[str, bytes] = {}

    def _key(self, key: str) -> bytes:
        field = self._key_field.get(key)
        if field is None:
            field = self._key_field[key] = _field(b"\x0a", str(key).encode())
        return field

    def _attr(self, key_field: bytes, any_value_bytes: bytes) -> bytes:
        # LogRecord.attributes = 6 → KeyValue{key = 1, value = 2}
        return _field(b"\x32", key_field + _field(b"\x12", any_value_bytes))

    def _number_attr(self, key: str, value: int | float) -> bytes:
        if type(value) is float:
            prefix = self._double_prefix.get(key)
            if prefix is None:
                kf = self._key(key)
                # KeyValue = key field + value{AnyValue.double_value = 4 (fixed64)}: 2 + 9 bytes after the key.
                prefix = self._double_prefix[key] = b"\x32" + _varint(len(kf) + 11) + kf + b"\x12\x09\x21"
            return prefix + _DOUBLE(value)
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
            return self._attr(self._key(key), b"\x18" + _varint(value & 0xFFFFFFFFFFFFFFFF))  # int_value = 3
        return self._attr(self._key(key), b"\x21" + _DOUBLE(float(value)))

    def _head(self, t: int, event: str) -> bytes:
        tail = self._events.get(event)
        if tail is None:
            tail = self._events[event] = _field(b"\x62", event.encode())  # event_name = 12
        self._seq += 1
        rid = f"{self._prefix}-{self._seq}".encode()
        # time_unix_nano = 1 and observed_time_unix_nano = 11 (fixed64), then the record id attribute.
        return b"\x09" + _FIXED64(t) + b"\x59" + _FIXED64(t) + tail + self._attr(self._id_key, _field(b"\x0a", rid))

    def _record(self, item: Item) -> bytes:
        if len(item) == 3:
            t, step, values = item
            parts = [self._head(t, "mlrun.metrics"), self._attr(self._step_key, b"\x18" + _varint(step & 0xFFFFFFFFFFFFFFFF))]
            number_attr = self._number_attr
            parts.extend([number_attr(k, v) for k, v in values.items()])
            return b"".join(parts)
        t, event, attributes, body = item
        parts = [self._head(t, event)]
        parts.extend(self._attr(self._key(k), any_value(v).SerializeToString()) for k, v in attributes.items())
        if body is not None:
            parts.append(_field(b"\x2a", any_value(body).SerializeToString()))  # body = 5
        return b"".join(parts)

    def encode(self, items: Iterable[Item]) -> bytes:
        """One ExportLogsServiceRequest, serialized (not compressed)."""
        records = b"".join([_field(b"\x12", self._record(i)) for i in items])  # ScopeLogs.log_records = 2
        scope_logs = _field(b"\x12", self._scope_field + records)  # ResourceLogs.scope_logs = 2
        return _field(b"\x0a", self._resource_field + scope_logs)  # ExportLogsServiceRequest.resource_logs = 1


def count_records(payload: bytes, signal: str = "logs") -> int:
    """How many log records (for `metrics`, data points; for `traces`, spans) a serialized request holds (sync
    progress, tests)."""
    if signal == "traces":
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

        traces = ExportTraceServiceRequest()
        traces.ParseFromString(payload)
        return sum(len(s.spans) for r in traces.resource_spans for s in r.scope_spans)
    if signal == "metrics":
        from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

        metrics = ExportMetricsServiceRequest()
        metrics.ParseFromString(payload)
        return sum(len(m.gauge.data_points) + len(m.sum.data_points) for r in metrics.resource_metrics for s in r.scope_metrics for m in s.metrics)
    request = ExportLogsServiceRequest()
    request.ParseFromString(payload)
    return sum(len(s.log_records) for r in request.resource_logs for s in r.scope_logs)

