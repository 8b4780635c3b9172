/**
 * The one span runner every helper uses, on `@opentelemetry/api` only: start a span under the active
 * context, run `fn` with the span active (sync or async), record a failure as status ERROR + an
 * `exception` event + `error.type` and rethrow it, end the span exactly once.
 */
import type { Attributes, Span, SpanKind } from '@opentelemetry/api';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { helperSettings } from './state.js';
import { SCOPE_NAME, VERSION } from './version.js';

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
}

/** Hooks a helper adds around `fn`: `onResult` sees the (awaited) value before the span ends. */
export interface RunHooks<R> {
  readonly onResult?: (span: Span, value: R) => void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Marks the span failed the way the OTel spec and GenAI conventions ask (status, exception event, error.type). */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setAttribute('error.type', error.name || error.constructor.name || 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setAttribute('error.type', typeof error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

function endSpan(span: Span): void {
  span.end();
  helperSettings().onSpanEnd?.(span);
}

/**
 * Runs `fn` inside a new span. A promise result keeps the span open until it settles and the same value (or
 * error) comes back; anything else ends the span before returning.
 */
export function runInSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => T, hooks: RunHooks<Awaited<T>> = {}): T {
  const settings = helperSettings();
  const tracer = (settings.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, VERSION);
  const parent = context.active();
  const span = tracer.startSpan(name, { kind: options.kind, attributes: { ...options.attributes, ...settings.spanAttributes } }, parent);
  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (error) {
    recordFailure(span, error);
    endSpan(span);
    throw error;
  }
  if (!isThenable(result)) {
    settle(span, hooks, result as Awaited<T>);
    return result;
  }
  // T is a promise type here, so the chained promise is what the caller expects back.
  return Promise.resolve(result).then(
    (value) => {
      settle(span, hooks, value as Awaited<T>);
      return value;
    },
    (error: unknown) => {
      recordFailure(span, error);
      endSpan(span);
      throw error;
    },
  ) as T;
}

function settle<R>(span: Span, hooks: RunHooks<R>, value: R): void {
  try {
    hooks.onResult?.(span, value);
  } finally {
    endSpan(span);
  }
}

/** A plain span with the helpers' attribution and error handling, for work that is not an agent, tool or model call. */
export function withSpan<T>(name: string, fn: (span: Span) => T, options: SpanOptions = {}): T {
  return runInSpan(name, options, fn);
}
