"""The hand-written wire encoder, checked against the opentelemetry-proto classes (no server)."""

from __future__ import annotations

import math

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from mlrun._encode import Encoder


def _value(v: AnyValue):
    kind = v.WhichOneof("value")
    if kind == "kvlist_value":
        return {kv.key: _value(kv.value) for kv in v.kvlist_value.values}
    if kind == "array_value":
        return [_value(x) for x in v.array_value.values]
    return getattr(v, kind) if kind else None


def test_records_parse_with_the_official_classes() -> None:
    enc = Encoder({"service.name": "mlrun-python", "mlrun.run.id": "r1", "mlrun.project": "p"}, "tok")
    payload = enc.encode([
        (1_700_000_000_000_000_001, 0, {"loss": 0.25, "n": 7, "neg": -(2**40), "flag": True, "huge": 2**70, "nan": math.nan, "ünï/cödé": 1.5}),
        (1_700_000_000_000_000_002, 2**40, {}),
        (1_700_000_000_000_000_003, "mlrun.run.start", {"mlrun.run.tags": ["a", "b"], "mlrun.run.name": "x"}, {"lr": 0.1, "nested": {"l": [1, "two", 3.0, None], "e": {}}}),
        (1_700_000_000_000_000_004, "mlrun.heartbeat", {}, None),
    ])
    request = ExportLogsServiceRequest()
    request.ParseFromString(payload)
    [rl] = request.resource_logs
    assert {kv.key: _value(kv.value) for kv in rl.resource.attributes} == {"service.name": "mlrun-python", "mlrun.run.id": "r1", "mlrun.project": "p"}
    [sl] = rl.scope_logs
    assert sl.scope.name == "mlrun"
    recs = list(sl.log_records)
    attrs = [{kv.key: _value(kv.value) for kv in r.attributes} for r in recs]
    assert [r.event_name for r in recs] == ["mlrun.metrics", "mlrun.metrics", "mlrun.run.start", "mlrun.heartbeat"]
    assert [r.time_unix_nano for r in recs] == [r.observed_time_unix_nano for r in recs] == [1_700_000_000_000_000_001 + i for i in range(4)]
    assert [a["mlrun.record.id"] for a in attrs] == ["tok-1", "tok-2", "tok-3", "tok-4"]
    first = attrs[0]
    assert first["mlrun.step"] == 0 and first["loss"] == 0.25 and first["n"] == 7 and first["neg"] == -(2**40) and first["flag"] == 1
    assert first["huge"] == float(2**70) and math.isnan(first["nan"]) and first["ünï/cödé"] == 1.5
    assert attrs[1] == {"mlrun.record.id": "tok-2", "mlrun.step": 2**40}
    assert attrs[2]["mlrun.run.tags"] == ["a", "b"] and attrs[2]["mlrun.run.name"] == "x"
    assert _value(recs[2].body) == {"lr": 0.1, "nested": {"l": [1, "two", 3.0, None], "e": {}}}
    assert attrs[3] == {"mlrun.record.id": "tok-4"} and not recs[3].HasField("body")


def test_system_metrics_encode_as_gauges() -> None:
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

    from mlrun._encode import count_records
    from mlrun._system import encode_gauges

    samples = [("system.cpu.utilization", 0.25, "1", {}), ("gpu.utilization", 0.5, "1", {"gpu.index": 0}), ("gpu.utilization", 0.75, "1", {"gpu.index": 1})]
    payload = encode_gauges({"mlrun.run.id": "r1", "mlrun.project": "p"}, 1_700_000_000_000_000_000, samples)
    request = ExportMetricsServiceRequest()
    request.ParseFromString(payload)
    [rm] = request.resource_metrics
    assert {kv.key: _value(kv.value) for kv in rm.resource.attributes} == {"mlrun.run.id": "r1", "mlrun.project": "p"}
    metrics = {m.name: m for m in rm.scope_metrics[0].metrics}
    assert set(metrics) == {"system.cpu.utilization", "gpu.utilization"} and metrics["gpu.utilization"].unit == "1"
    gpu = [(p.as_double, {kv.key: _value(kv.value) for kv in p.attributes}, p.time_unix_nano) for p in metrics["gpu.utilization"].gauge.data_points]
    assert gpu == [(0.5, {"gpu.index": 0}, 1_700_000_000_000_000_000), (0.75, {"gpu.index": 1}, 1_700_000_000_000_000_000)]
    assert count_records(payload, "metrics") == 3
