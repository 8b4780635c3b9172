"""MLRun's own recording span: an `opentelemetry.trace.Span` (the API's abstract class) that needs no
opentelemetry-sdk.

A span takes its parent from the opentelemetry-api context at start (`trace.get_current_span()`), so it nests
under MLRun spans and under spans of any OTel SDK the application runs, and whatever the application starts
inside it (MLRun or SDK spans) nests under it. Ids are random: 16 bytes of trace id (the parent's, when there
is one), 8 bytes of span id. `end()` freezes the span and hands it to its exporter exactly once; later changes
are ignored. Limits as the OTel SDK's defaults: 128 attributes, events and links, the rest counted as dropped.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import (
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    TraceState,
)
from opentelemetry.util import types

log = logging.getLogger("mlrun")

MAX_ATTRIBUTES = 128
MAX_EVENTS = 128
MAX_LINKS = 128

# An event or a link as kept until encoding: (time ns, name, attributes) / (context, attributes).
Event = tuple[int, str, dict[str, Any]]
Link = tuple[SpanContext, dict[str, Any]]


def _random_id(bits: int) -> int:
    while True:
        value = random.getrandbits(bits)
        if value:
            return value


def _clean(value: Any) -> Any:
    """A copy the caller cannot change after the call (lists and mappings are copied, recursively)."""
    if isinstance(value, (str, bool, int, float, bytes)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_clean(v) for v in value]
    return value


def exception_type(exception: BaseException) -> str:
    """`ValueError`, `json.decoder.JSONDecodeError`: qualified unless a builtin (or defined in __main__)."""
    kind = type(exception)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else f"{module}.{kind.__qualname__}"


def exception_attributes(exception: BaseException) -> dict[str, Any]:
    stack = "".join(traceback.format_exception(type(exception), exception, exception.__traceback__))
    return {"exception.type": exception_type(exception), "exception.message": str(exception), "exception.stacktrace": stack}


class Span(trace.Span):
    """One recording span. Create it with `mlrun.trace(...)` or the GenAI helpers, not directly."""

    def __init__(
        self,
        name: str,
        *,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Mapping[str, Any] | None = None,
        on_end: Callable[[Span], None],
        capture_messages: bool = False,
        start_time: int | None = None,
    ) -> None:
        parent = trace.get_current_span().get_span_context()
        self.parent: SpanContext | None = parent if parent.is_valid else None
        trace_id = parent.trace_id if parent.is_valid else _random_id(128)
        state = parent.trace_state if parent.is_valid else TraceState()
        self._context = SpanContext(trace_id, _random_id(64), is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED), trace_state=state)
        self.name = name
        self.kind = kind
        self.capture_messages = capture_messages
        self.start_time = time.time_ns() if start_time is None else start_time
        self.end_time: int | None = None
        self.attributes: dict[str, Any] = {}
        self.events: list[Event] = []
        self.links: list[Link] = []
        self.status_code = StatusCode.UNSET
        self.status_message = ""
        self.dropped_attributes = 0
        self.dropped_events = 0
        self.dropped_links = 0
        self._on_end = on_end
        self._lock = threading.Lock()
        if attributes:
            self.set_attributes(attributes)

    # -- the OTel API ----------------------------------------------------------------------------------------

    def get_span_context(self) -> SpanContext:
        return self._context

    def is_recording(self) -> bool:
        return self.end_time is None

    def set_attribute(self, key: str, value: Any) -> None:
        if value is None:
            return  # the API leaves None undefined; the OTel SDK drops it too
        with self._lock:
            if self.end_time is not None:
                return
            if key not in self.attributes and len(self.attributes) >= MAX_ATTRIBUTES:
                self.dropped_attributes += 1
                return
            self.attributes[key] = _clean(value)

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        for key, value in attributes.items():
            self.set_attribute(key, value)

    def add_event(self, name: str, attributes: types.Attributes = None, timestamp: int | None = None) -> None:
        with self._lock:
            if self.end_time is not None:
                return
            if len(self.events) >= MAX_EVENTS:
                self.dropped_events += 1
                return
            attrs = {k: _clean(v) for k, v in (attributes or {}).items() if v is not None}
            self.events.append((time.time_ns() if timestamp is None else timestamp, name, attrs))

    def add_link(self, context: SpanContext, attributes: types.Attributes = None) -> None:
        if not context.is_valid and not attributes:
            return
        with self._lock:
            if self.end_time is not None:
                return
            if len(self.links) >= MAX_LINKS:
                self.dropped_links += 1
                return
            self.links.append((context, {k: _clean(v) for k, v in (attributes or {}).items() if v is not None}))

    def update_name(self, name: str) -> None:
        with self._lock:
            if self.end_time is None:
                self.name = name

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        code, message = (status.status_code, status.description) if isinstance(status, Status) else (status, description)
        with self._lock:
            # As the OTel SDK: OK is final, and only an ERROR carries a description.
            if self.end_time is not None or self.status_code is StatusCode.OK:
                return
            self.status_code = code
            self.status_message = (message or "") if code is StatusCode.ERROR else ""

    def record_exception(self, exception: BaseException, attributes: types.Attributes = None, timestamp: int | None = None, escaped: bool = False) -> None:
        attrs: dict[str, Any] = exception_attributes(exception)
        attrs.update(attributes or {})
        self.add_event("exception", attrs, timestamp)

    def end(self, end_time: int | None = None) -> None:
        with self._lock:
            if self.end_time is not None:
                return
            self.end_time = time.time_ns() if end_time is None else end_time
        try:
            self._on_end(self)
        except Exception:  # exporting must never break the traced code
            log.exception("mlrun: could not queue span %r", self.name)

    # -- GenAI conveniences (see mlrun.trace_llm / trace_tool) -----------------------------------------------

    def set_response(
        self,
        model: str | None = None,
        output_messages: Any = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        finish_reasons: Sequence[str] | None = None,
        response_id: str | None = None,
    ) -> None:
        """An LLM call's answer: gen_ai.response.model, usage, finish reasons, and (capture on) the messages."""
        from ._genai import set_response

        set_response(self, model, output_messages, input_tokens, output_tokens, finish_reasons, response_id)

    def set_result(self, result: Any) -> None:
        """A tool call's result: gen_ai.tool.call.result (text as it is, anything else as JSON)."""
        from ._genai import to_json

        self.set_attribute("gen_ai.tool.call.result", to_json(result))

    @property
    def trace_id(self) -> str:
        return trace.format_trace_id(self._context.trace_id)

    @property
    def span_id(self) -> str:
        return trace.format_span_id(self._context.span_id)

    def __repr__(self) -> str:
        return f"<mlrun.Span {self.name!r} trace={self.trace_id} span={self.span_id}{' ended' if self.end_time else ''}>"
