"""What the SDK puts on the wire, seen by a tiny local HTTP server that records every request: `Retry-After`
honoured, the API key on every request, heartbeats of a quiet run, system metrics as OTLP gauges through the
spool and `mlrun-sync`."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest

import mlrun
from mlrun import sync
from sdk_support import log_records


@dataclass
class Request:
    at: float  # time.monotonic() of the arrival
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Recorder:
    """Answers 200 to everything except the scripted answers, consumed in order per path prefix."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    script: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> tuple[int, dict[str, str]]:
        with self.lock:
            for prefix, answers in self.script.items():
                if path.startswith(prefix) and answers:
                    return answers.pop(0)
        return 200, {}

    def logs(self, status: int = 200) -> list[Request]:
        return [r for r in self.requests if r.path == "/v1/logs" and r.status == status]


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status, headers = rec.answer(self.path)
            with rec.lock:
                rec.requests.append(Request(time.monotonic(), self.command, self.path, dict(self.headers), body, status))
            reply = json.dumps({"path": self.path.rsplit("/", 1)[-1]}).encode() if self.command == "PUT" else b""
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def env(recorder: Recorder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("MLRUN_API_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT", "MLRUN_HEARTBEAT_S", "MLRUN_SYSTEM_METRICS_S"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MLRUN_ENDPOINT", recorder.url)
    monkeypatch.setenv("MLRUN_API_URL", recorder.url)
    monkeypatch.setenv("MLRUN_DIR", str(tmp_path / "spool"))
    return tmp_path / "spool"


def test_retry_after_is_honoured_and_the_batch_arrives_once(recorder: Recorder, env: Path) -> None:
    recorder.script["/v1/logs"] = [(429, {"Retry-After": "1"})]
    run = mlrun.init(project="wire", name="throttled")
    for i in range(10):
        run.log({"x": i})
    run.finish()
    refused, accepted = recorder.logs(429), recorder.logs(200)
    assert len(refused) == 1 and accepted
    first_retry = accepted[0]
    assert first_retry.at - refused[0].at >= 0.95  # waited the Retry-After, no quick retry in between
    assert first_retry.body == refused[0].body  # the same batch (replayed from the spool, byte for byte)
    records = [r for req in accepted for r in log_records(req.body)]
    ids = [attrs["mlrun.record.id"] for _, attrs in records]
    assert len(ids) == len(set(ids))  # every record arrived once
    assert [e for e, _ in records] == ["mlrun.run.start"] + ["mlrun.metrics"] * 10 + ["mlrun.run.end"]
    assert [a["mlrun.step"] for e, a in records if e == "mlrun.metrics"] == list(range(10))


def test_api_key_on_otlp_and_artifact_requests(recorder: Recorder, env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_API_KEY", "s3cret-key")
    artifact = tmp_path / "model.bin"
    artifact.write_bytes(b"weights")
    run = mlrun.init(project="wire", name="keyed", system_metrics=True, system_metrics_interval=0.1)
    run.log({"x": 1})
    [record] = run.log_artifact(artifact)
    assert record == {"path": "model.bin"}
    time.sleep(0.3)
    run.finish()
    paths = {(r.method, r.path) for r in recorder.requests}
    assert ("POST", "/v1/logs") in paths and ("POST", "/v1/metrics") in paths
    assert ("PUT", f"/api/v1/projects/wire/runs/{run.id}/artifacts/model.bin") in paths
    put = next(r for r in recorder.requests if r.method == "PUT")
    assert put.body == b"weights"
    assert {r.headers.get("Authorization") for r in recorder.requests} == {"Bearer s3cret-key"}


def test_no_authorization_header_without_a_key(recorder: Recorder, env: Path) -> None:
    run = mlrun.init(project="wire", name="anonymous")
    run.log({"x": 1})
    run.finish()
    assert recorder.requests and all("Authorization" not in r.headers for r in recorder.requests)


def test_quiet_run_sends_heartbeats(recorder: Recorder, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_HEARTBEAT_S", "0.3")
    run = mlrun.init(project="wire", name="quiet")
    time.sleep(2.0)
    run.finish()
    events = [e for req in recorder.logs() for e, _ in log_records(req.body)]
    assert events[0] == "mlrun.run.start" and events[-1] == "mlrun.run.end"
    assert events.count("mlrun.heartbeat") >= 2, events


def test_busy_run_sends_no_heartbeat(recorder: Recorder, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_HEARTBEAT_S", "1.5")
    run = mlrun.init(project="wire", name="busy")
    for i in range(20):
        run.log({"x": i})
        time.sleep(0.05)
    run.finish()
    events = [e for req in recorder.logs() for e, _ in log_records(req.body)]
    assert "mlrun.heartbeat" not in events


def test_offline_system_metrics_spool_as_metrics_and_sync_to_v1_metrics(recorder: Recorder, env: Path) -> None:
    run = mlrun.init(project="wire", name="offline-sys", mode="offline", system_metrics=True, system_metrics_interval=0.1)
    run.log({"x": 1})
    time.sleep(0.5)
    run.finish()
    assert recorder.requests == []  # offline touches no network
    files = sorted(p.name for p in env.rglob("*.pb.gz"))
    assert any(n.endswith(".metrics.pb.gz") for n in files) and any(n.endswith(".logs.pb.gz") for n in files)

    assert sync.main([str(env), "--quiet"]) == 0
    metrics = [r for r in recorder.requests if r.path == "/v1/metrics"]
    assert len(metrics) == sum(n.endswith(".metrics.pb.gz") for n in files)
    request = ExportMetricsServiceRequest()
    request.ParseFromString(gzip.decompress(metrics[0].body))
    [resource] = request.resource_metrics
    attrs = {kv.key: kv.value.string_value for kv in resource.resource.attributes}
    assert attrs == {"service.name": "mlrun-python", "mlrun.project": "wire", "mlrun.run.id": run.id, "mlrun.run.name": "offline-sys"}
    gauges = {m.name: m for s in resource.scope_metrics for m in s.metrics}
    assert {"system.memory.usage", "system.memory.utilization", "process.memory.usage"} <= set(gauges)
    for metric in gauges.values():
        assert metric.WhichOneof("data") == "gauge" and len(metric.gauge.data_points) >= 1
    assert 0 < gauges["system.memory.utilization"].gauge.data_points[0].as_double < 1
