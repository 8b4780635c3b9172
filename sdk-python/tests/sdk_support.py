"""Helpers of the SDK tests: a real `mlrun serve` (embedded chDB + PGlite in a temporary data dir) that can be
stopped and restarted, reads through the query API, and subprocess scripts. A module of its own (not
conftest.py) so that test files can import it unambiguously."""

from __future__ import annotations

import gzip
import json
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "cli" / "bin" / "mlrun.js"
SRC = REPO / "sdk-python" / "src"
START_TIMEOUT_S = 120.0

T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One `mlrun serve`; stop() and start() keep the data dir and the ports (outage tests)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.otlp_port = free_port()
        self.api_port = free_port()
        self.otlp_url = f"http://127.0.0.1:{self.otlp_port}"
        self.api_url = f"http://127.0.0.1:{self.api_port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self._starts = 0

    def start(self) -> None:
        assert self.proc is None, "already running"
        self._starts += 1
        out = self.data_dir.parent / f"serve-{self._starts}.log"
        err = self.data_dir.parent / f"serve-{self._starts}.err"
        cmd = ["node", str(CLI), "serve", "--data-dir", str(self.data_dir), "--otlp-grpc-port", "0", "--otlp-http-port", str(self.otlp_port), "--port", str(self.api_port)]
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            self.proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, cwd=REPO)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mlrun serve exited with {self.proc.returncode} (did `npx tsc -b` run?):\n{err.read_text()[-3000:]}")
            for line in out.read_text(errors="replace").splitlines():
                if line.startswith("{") and json.loads(line).get("msg") == "listening":
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"mlrun serve did not log `listening` within {START_TIMEOUT_S} s:\n{err.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class Api:
    """Plain urllib JSON calls to the query API."""

    def __init__(self, base: str) -> None:
        self.base = base + "/api/v1"

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def run(self, project: str, run_id: str) -> dict[str, Any] | None:
        try:
            return self.get(f"/projects/{project}/runs/{run_id}")  # type: ignore[no-any-return]
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def runs(self, project: str, filter: str = "") -> list[dict[str, Any]]:
        try:
            return self.get(f"/projects/{project}/runs?limit=1000&filter={urllib.parse.quote(filter)}")["runs"]  # type: ignore[no-any-return]
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return []
            raise

    def series(self, project: str, run_id: str, key: str) -> list[tuple[float, Any]]:
        """[(step, value)] of one metric, raw points in step order."""
        body = self.call("POST", f"/projects/{project}/series", {"runs": [run_id], "keys": [key], "maxPoints": 10000})
        points: list[tuple[float, Any]] = []
        for series in body["series"]:
            assert series["mode"] == "raw", series
            for p in series["points"]:
                points.extend([(p["x"], p["last"])] * int(p["count"]))
        return points

    def metrics(self, project: str, run_id: str) -> dict[str, dict[str, Any]]:
        return {m["key"]: m for m in self.get(f"/projects/{project}/runs/{run_id}/metrics")["metrics"]}

    def artifacts(self, project: str, run_id: str) -> list[dict[str, Any]]:
        return self.get(f"/projects/{project}/runs/{run_id}/artifacts")["artifacts"]  # type: ignore[no-any-return]


def wait_for(fn: Callable[[], T | None], timeout_s: float = 30.0, what: str = "condition") -> T:
    """Poll until fn() returns something truthy (ingest is asynchronous to the query side)."""
    deadline = time.monotonic() + timeout_s
    last: T | None = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}; last value: {last!r}")


def script(tmp_path: Path, code: str, name: str = "train.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(code))
    return path


def python(path: Path, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def log_records(body: bytes) -> list[tuple[str, dict[str, Any]]]:
    """(event name, attributes) of every log record in a gzipped OTLP logs request body (sent or spooled)."""
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

    request = ExportLogsServiceRequest()
    request.ParseFromString(gzip.decompress(body))
    out: list[tuple[str, dict[str, Any]]] = []
    for rl in request.resource_logs:
        for sl in rl.scope_logs:
            for rec in sl.log_records:
                attrs = {kv.key: getattr(kv.value, kv.value.WhichOneof("value")) for kv in rec.attributes}
                out.append((rec.event_name, attrs))
    return out
