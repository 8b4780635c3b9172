"""`mlrun.trace` and the GenAI span helpers `trace_llm`, `trace_tool`, `trace_agent`.

Each returns a `Trace`: a decorator (sync and async functions, generators, async generators) and a context
manager (`with` and `async with`) whose value is the span. The span is current in the opentelemetry-api
context while the code runs, so nested calls nest, in threads (each thread starts from an empty context)
and asyncio tasks (each task copies its creator's) alike. An exception ends the span with status ERROR, an
`exception` event (type, message, stack trace) and `error.type`, and is re-raised.

Content — chat messages, and the arguments / return value a decorator sees — is recorded only when message
capture is on (`mlrun.init(capture_messages=True)`, or MLRUN_CAPTURE_MESSAGES=1 for spans outside a run).
What a caller passes explicitly as tool arguments or results is always recorded.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar, cast, overload

from opentelemetry import context
from opentelemetry import trace as otel_trace
from opentelemetry.trace import SpanKind

from . import _tracing
from ._genai import (
    CLIENT_KINDS,
    agent_attributes,
    input_messages,
    kind_attributes,
    llm_attributes,
    to_json,
    tool_attributes,
)
from ._span import Span
from ._trace_wrap import fail, wrap

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Options:
    name: str | None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    kind: str | None = None  # mlrun.trace(kind=...): kind attributes, added with the span's final name
    span_kind: SpanKind = SpanKind.INTERNAL
    input_messages: Any = None
    io: str | None = "value"  # what a decorated call records when capture is on: "value", "tool" or nothing


def start(options: Options, name: str) -> Span:
    route = _tracing.current_route()
    attributes: dict[str, Any] = kind_attributes(options.kind, name) if options.kind else {}
    attributes.update(options.attributes)
    span = Span(name, kind=options.span_kind, attributes=attributes, on_end=functools.partial(_tracing.export, route), capture_messages=route.capture_messages)
    if route.capture_messages and options.input_messages is not None:
        span.set_attribute("gen_ai.input.messages", to_json(input_messages(options.input_messages)))
    return span


def _bound(signature: inspect.Signature | None, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    if signature is None:
        return {"args": list(args), **kwargs}
    try:
        arguments = dict(signature.bind_partial(*args, **kwargs).arguments)
    except TypeError:
        return {"args": list(args), **kwargs}
    first = next(iter(signature.parameters), None)
    if first in ("self", "cls"):
        arguments.pop(first, None)
    return arguments


def _decorate(func: Callable[..., Any], options: Options) -> Callable[..., Any]:
    name = options.name or getattr(func, "__qualname__", None) or repr(func)
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None

    def begin(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Span:
        span = start(options, name)
        if span.capture_messages and options.io is not None:
            arguments = to_json(_bound(signature, args, kwargs))
            if options.io == "tool":
                span.set_attribute("gen_ai.tool.call.arguments", arguments)
            else:
                span.set_attributes({"input.value": arguments, "input.mime_type": "application/json"})
        return span

    def finish(span: Span, result: Any) -> None:
        if not span.capture_messages or options.io is None:
            return
        if options.io == "tool":
            span.set_attribute("gen_ai.tool.call.result", to_json(result))
        else:
            span.set_attributes({"output.value": to_json(result), "output.mime_type": "text/plain" if isinstance(result, str) else "application/json"})

    return wrap(func, begin, finish)


class Trace:
    """A span to open: decorate a function with it, or enter it (`with` / `async with`) to get the span."""

    def __init__(self, options: Options) -> None:
        self._options = options
        self._open: dict[Span, object] = {}  # entered spans → their context tokens (one object, many threads)
        self._lock = threading.Lock()

    def __call__(self, func: F) -> F:
        return cast(F, _decorate(func, self._options))

    def __enter__(self) -> Span:
        span = start(self._options, self._options.name or "span")
        token = context.attach(otel_trace.set_span_in_context(span))
        with self._lock:
            self._open[span] = token
        return span

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        current = otel_trace.get_current_span()
        with self._lock:
            span = current if isinstance(current, Span) and current in self._open else next(reversed(self._open))
            token = self._open.pop(span)
        if error is not None and not isinstance(error, GeneratorExit):
            fail(span, error)
        span.end()
        context.detach(cast(Any, token))

    async def __aenter__(self) -> Span:
        return self.__enter__()

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.__exit__(kind, error, tb)


@overload
def trace(target: F, /) -> F: ...


@overload
def trace(target: str | None = None, /, *, name: str | None = None, kind: str | None = None, attributes: Mapping[str, Any] | None = None) -> Trace: ...


def trace(
    target: Callable[..., Any] | str | None = None,
    /,
    *,
    name: str | None = None,
    kind: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Any:
    """`@mlrun.trace`, `@mlrun.trace(name=..., kind=..., attributes=...)`, `with mlrun.trace("name") as span:`.

    The span's name defaults to the function's qualified name. `kind` ('agent', 'tool', 'llm', 'chain',
    'retriever', 'embedding', or your own) is recorded as `mlrun.span.kind`; agent, tool, llm, embedding and
    retriever also set `gen_ai.operation.name` (agent and tool: `gen_ai.agent.name` / `gen_ai.tool.name`
    = the span name), the others OpenInference's `openinference.span.kind`."""
    if callable(target):
        return Trace(Options(name)).__call__(target)
    chosen = name if name is not None else target
    io = "tool" if kind == "tool" else "value"
    span_kind = SpanKind.CLIENT if kind in CLIENT_KINDS else SpanKind.INTERNAL
    return Trace(Options(chosen, dict(attributes or {}), kind, span_kind, io=io))


def trace_llm(
    model: str,
    provider: str | None = None,
    operation: str = "chat",
    input_messages: Any = None,
    *,
    name: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Trace:
    """A model call: span `{operation} {model}` (kind CLIENT) with gen_ai.operation.name, gen_ai.request.model,
    gen_ai.provider.name; `span.set_response(...)` adds the answer. `input_messages` are recorded (as
    gen_ai.input.messages) only when message capture is on."""
    attrs = {**llm_attributes(model, provider, operation), **(attributes or {})}
    return Trace(Options(name or f"{operation} {model}", attrs, span_kind=SpanKind.CLIENT, input_messages=input_messages, io=None))


def trace_tool(name: str, arguments: Any = None, *, call_id: str | None = None, description: str | None = None, attributes: Mapping[str, Any] | None = None) -> Trace:
    """A tool call: span `execute_tool {name}` with gen_ai.tool.name and the arguments given
    (gen_ai.tool.call.arguments, JSON); `span.set_result(result)` adds gen_ai.tool.call.result. As a
    decorator without `arguments`, the call's own arguments and result are recorded when capture is on."""
    attrs = {**tool_attributes(name, arguments, call_id, description), **(attributes or {})}
    return Trace(Options(f"execute_tool {name}", attrs, io="tool" if arguments is None else None))


def trace_agent(
    name: str,
    *,
    agent_id: str | None = None,
    description: str | None = None,
    conversation_id: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Trace:
    """An agent's turn: span `invoke_agent {name}` with gen_ai.operation.name and gen_ai.agent.name
    (gen_ai.conversation.id groups the turns of one conversation)."""
    attrs = {**agent_attributes(name, agent_id, description, conversation_id), **(attributes or {})}
    return Trace(Options(f"invoke_agent {name}", attrs, io=None))


def current_span() -> otel_trace.Span:
    """The current span (MLRun's, or any OTel SDK's), as `opentelemetry.trace.get_current_span()`."""
    return otel_trace.get_current_span()
