"""Function wrappers of `@mlrun.trace`: sync and async functions, generators and async generators.

A function's span is current (in the opentelemetry-api context) while its body runs. A generator's span
lasts from the call to its exhaustion, close or failure, and is current only while the generator's own
code runs — attached around each resume and detached before each `yield` — so the consumer's context
between items is never changed (a span left attached across a `yield` would become the consumer's parent).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

from opentelemetry import context, trace

from ._span import Span, exception_type

# (what opens a span for one call, given the call's arguments; what records a return value on it)
Begin = Callable[[tuple[Any, ...], dict[str, Any]], Span]
Finish = Callable[[Span, Any], None]


def fail(span: Span, error: BaseException) -> None:
    """ERROR status, an `exception` event (type, message, stack trace) and `error.type`."""
    span.record_exception(error, escaped=True)
    span.set_attribute("error.type", exception_type(error))
    span.set_status(trace.StatusCode.ERROR, f"{type(error).__qualname__}: {error}")


def _call_in(ctx: context.Context, fn: Callable[..., Any], *args: Any) -> Any:
    token = context.attach(ctx)
    try:
        return fn(*args)
    finally:
        context.detach(token)


def wrap(func: Callable[..., Any], begin: Begin, finish: Finish) -> Callable[..., Any]:
    if inspect.isasyncgenfunction(func):
        return _async_generator(func, begin)
    if inspect.iscoroutinefunction(func):
        return _coroutine(func, begin, finish)
    if inspect.isgeneratorfunction(func):
        return _generator(func, begin)
    return _function(func, begin, finish)


def _function(func: Callable[..., Any], begin: Begin, finish: Finish) -> Callable[..., Any]:
    @functools.wraps(func)
    def traced(*args: Any, **kwargs: Any) -> Any:
        span = begin(args, kwargs)
        token = context.attach(trace.set_span_in_context(span))
        try:
            result = func(*args, **kwargs)
            finish(span, result)
            return result
        except BaseException as error:
            fail(span, error)
            raise
        finally:
            span.end()
            context.detach(token)

    return traced


def _coroutine(func: Callable[..., Any], begin: Begin, finish: Finish) -> Callable[..., Any]:
    @functools.wraps(func)
    async def traced(*args: Any, **kwargs: Any) -> Any:
        span = begin(args, kwargs)
        token = context.attach(trace.set_span_in_context(span))
        try:
            result = await func(*args, **kwargs)
            finish(span, result)
            return result
        except BaseException as error:
            fail(span, error)
            raise
        finally:
            span.end()
            context.detach(token)

    return traced


def _generator(func: Callable[..., Any], begin: Begin) -> Callable[..., Any]:
    @functools.wraps(func)
    def traced(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        span = begin(args, kwargs)
        ctx = trace.set_span_in_context(span)
        try:
            inner = _call_in(ctx, functools.partial(func, *args, **kwargs))
            method: Callable[[Any], Any] = inner.send
            value: Any = None
            while True:
                try:
                    item = _call_in(ctx, method, value)
                except StopIteration as stop:
                    return stop.value
                try:
                    value, method = (yield item), inner.send
                except GeneratorExit:
                    _call_in(ctx, inner.close)
                    raise
                except BaseException as thrown:  # noqa: BLE001 - generator.throw(): passed on, as `yield from` would
                    value, method = thrown, inner.throw
        except GeneratorExit:
            raise  # closed early by its consumer: not an error
        except BaseException as error:
            fail(span, error)
            raise
        finally:
            span.end()

    return traced


def _async_generator(func: Callable[..., Any], begin: Begin) -> Callable[..., Any]:
    @functools.wraps(func)
    async def traced(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
        span = begin(args, kwargs)
        ctx = trace.set_span_in_context(span)
        try:
            inner = _call_in(ctx, functools.partial(func, *args, **kwargs))
            method: Callable[[Any], Any] = inner.asend
            value: Any = None
            while True:
                token = context.attach(ctx)
                try:
                    item = await method(value)
                except StopAsyncIteration:
                    return
                finally:
                    context.detach(token)
                try:
                    value, method = (yield item), inner.asend
                except GeneratorExit:
                    token = context.attach(ctx)
                    try:
                        await inner.aclose()
                    finally:
                        context.detach(token)
                    raise
                except BaseException as thrown:  # noqa: BLE001 - passed on to the inner generator
                    value, method = thrown, inner.athrow
        except GeneratorExit:
            raise
        except BaseException as error:
            fail(span, error)
            raise
        finally:
            span.end()

    return traced
