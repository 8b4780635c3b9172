/**
 * What the application already registered with the OTel API: a TracerProvider (behind the global proxy) and
 * a context manager. Read through the public API only, and without starting a span on the app's provider.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { context, createContextKey, ProxyTracerProvider, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** A provider that still takes processors after construction (sdk-trace-base 1.x and others). */
export interface AcceptsSpanProcessors {
  addSpanProcessor(processor: SpanProcessor): void;
}

interface Delegating {
  getDelegate(): TracerProvider;
}

function isDelegating(provider: TracerProvider): provider is TracerProvider & Delegating {
  return typeof (provider as Partial<Delegating>).getDelegate === 'function';
}

/** The no-op provider of this copy of the API (a fresh proxy delegates to it). */
const NOOP = new ProxyTracerProvider().getDelegate();

/** The application's real provider, or undefined when only the API's no-op one is in place. */
export function registeredTracerProvider(): TracerProvider | undefined {
  const global = trace.getTracerProvider();
  const delegate = isDelegating(global) ? global.getDelegate() : global;
  // Another copy of the API has its own no-op singleton: recognise it by class name.
  if (delegate === NOOP || delegate.constructor.name === 'NoopTracerProvider') return undefined;
  return delegate;
}

export function acceptsSpanProcessors(provider: TracerProvider): provider is TracerProvider & AcceptsSpanProcessors {
  return typeof (provider as Partial<AcceptsSpanProcessors>).addSpanProcessor === 'function';
}

const PROBE = createContextKey('mlrun.instrumentation.probe');

/** Whether a context manager is registered: the API's no-op one ignores `with` and always answers the root. */
export function hasContextManager(): boolean {
  return context.with(ROOT_CONTEXT.setValue(PROBE, true), () => context.active().getValue(PROBE) === true);
}
