"""Helpers of the tracing tests: a recording relay in front of the session's real `mlrun serve`, OTLP trace
requests read back with the opentelemetry-proto classes, and the traces API (when the query service has it).

The relay forwards every request byte for byte to the server's OTLP/HTTP port and returns the server's
answer; it keeps each request with the server's status and response, so a test sees exactly which spans the
receiver accepted (status 200, no rejected spans in its `partial_success`) and how often. While the server is
stopped, the relay answers 503 — to the SDK, the same outage as a refused connection.
"""

from __future__ import annotations

import gzip
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from sdk_support import Server

import mlrun


def value_of(v: AnyValue) -> Any:
    kind = v.WhichOneof("value")
    if kind == "kvlist_value":
        return {kv.key: value_of(kv.value) for kv in v.kvlist_value.values}
    if kind == "array_value":
        return [value_of(x) for x in v.array_value.values]
    return getattr(v, kind) if kind else None


@dataclass
class WireSpan:
    """One span as it went over the wire, ids in lowercase hex."""

    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: int  # OTLP SpanKind: 1 INTERNAL, 3 CLIENT
    start: int
    end: int
    attributes: dict[str, Any]
    events: list[tuple[str, dict[str, Any]]]
    status_code: int  # 0 UNSET, 1 OK, 2 ERROR
    status_message: str
    flags: int
    resource: dict[str, Any]


def wire_spans(payload: bytes) -> list[WireSpan]:
    """Every span of a serialized ExportTraceServiceRequest (gzip'd or not)."""
    if payload[:2] == b"\x1f\x8b":
        payload = gzip.decompress(payload)
    request = ExportTraceServiceRequest()
    request.ParseFromString(payload)
    out = []
    for rs in request.resource_spans:
        resource = {kv.key: value_of(kv.value) for kv in rs.resource.attributes}
        for ss in rs.scope_spans:
            assert ss.scope.name == "mlrun"
            for s in ss.spans:
                out.append(WireSpan(
                    s.trace_id.hex(), s.span_id.hex(), s.parent_span_id.hex(), s.name, s.kind, s.start_time_unix_nano, s.end_time_unix_nano,
                    {kv.key: value_of(kv.value) for kv in s.attributes},
                    [(e.name, {kv.key: value_of(kv.value) for kv in e.attributes}) for e in s.events],
                    s.status.code, s.status.message, s.flags, resource,
                ))
    return out


@dataclass
class Exchange:
    path: str
    body: bytes
    status: int
    response: bytes


@dataclass
class Relay:
    server: Server
    url: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(self.server.otlp_url + path, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            return 503, b"server down"

    def traces(self, status: int | None = 200) -> list[Exchange]:
        with self.lock:
            return [x for x in self.exchanges if x.path == "/v1/traces" and (status is None or x.status == status)]

    def accepted_spans(self) -> list[WireSpan]:
        """Spans of every request the receiver answered 200, checking it rejected none of them."""
        spans = []
        for exchange in self.traces(200):
            response = ExportTraceServiceResponse()
            response.ParseFromString(exchange.response)
            assert response.partial_success.rejected_spans == 0, response.partial_success.error_message
            spans.extend(wire_spans(exchange.body))
        return spans


@contextmanager
def relay_to(server: Server) -> Iterator[Relay]:
    relay = Relay(server)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            keep = ("Content-Type", "Content-Encoding", "Authorization", "User-Agent")
            status, reply = relay.forward(self.path, body, {k: v for k, v in self.headers.items() if k in keep})
            with relay.lock:
                relay.exchanges.append(Exchange(self.path, body, status, reply))
            self.send_response(status)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            return None

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    relay.url = f"http://127.0.0.1:{http.server_address[1]}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield relay
    finally:
        http.shutdown()
        http.server_close()


def by_name(spans: list[WireSpan]) -> dict[str, WireSpan]:
    out = {s.name: s for s in spans}
    assert len(out) == len(spans), f"span names repeat: {[s.name for s in spans]}"
    return out


# The traced application of several tests: an agent that calls a model, a tool, and a decorated tool.


@mlrun.trace(kind="tool")
def search(query: str) -> str:
    return f"results for {query}"


@mlrun.trace(name="planner", kind="agent", attributes={"app.version": "1.2"})
def planner(question: str) -> str:
    with mlrun.trace_llm(model="gpt-4o", provider="openai", input_messages=[{"role": "user", "content": question}]) as llm:
        calls = [{"id": "c1", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Paris"}'}}]
        llm.set_response(model="gpt-4o-2024-08-06", output_messages=[{"role": "assistant", "content": None, "tool_calls": calls}], input_tokens=12, output_tokens=7, finish_reasons=["tool_calls"])
    with mlrun.trace_tool("weather", {"city": "Paris"}, call_id="c1") as tool:
        tool.set_result({"temp_c": 18})
    return search(question)
