/**
 * `init()`: connect this process to MLRun. With no tracing set up yet it builds and registers a
 * TracerProvider (MLRun's resource, a BatchSpanProcessor on an OTLP/HTTP protobuf exporter) and an
 * AsyncLocalStorage context manager. Inside an app that already registered a provider it replaces nothing:
 * MLRun's processor is added when the provider takes one (`addSpanProcessor`), otherwise the helper spans
 * are mirrored to MLRun as they end (sdk-trace 2.x takes processors only in its constructor). Either way
 * the exported spans carry MLRun's resource and the helper spans carry `mlrun.*` attributes.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Span, Tracer, TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { context, diag, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { acceptsSpanProcessors, hasContextManager, registeredTracerProvider } from './global-otel.js';
import type { Connection } from './otlp.js';
import { mlrunAttributes, mlrunResource, traceExporter } from './otlp.js';
import type { Run, RunOptions } from './run.js';
import { startRun } from './run.js';
import { asReadableSpan, MlrunSpanProcessor, ResourceOverlay } from './span-processor.js';
import { claimSettings, installSettings, releaseSettings } from './state.js';
import { SCOPE_NAME, VERSION } from './version.js';

export interface InitOptions extends Connection {
  readonly project: string;
  /** The run this process's spans belong to (`mlrun.run.id`); also starts it as `handle.run`. */
  readonly run?: string;
  readonly runName?: string;
  /** `service.name`; default OTEL_SERVICE_NAME, else `mlrun-node`. */
  readonly serviceName?: string;
  /** Record prompts and completions on LLM spans (opt-in: they hold user data). Default false. */
  readonly captureMessageContent?: boolean;
}

/**
 * How MLRun joined OTel: `own` — its provider, registered globally; `added` — a processor on the app's
 * provider (all of the app's spans go to MLRun too); `mirror` — the app's provider could not take a
 * processor, so only the helpers' spans (withAgent/withTool/withLLM/withSpan) are copied to MLRun.
 */
export type InitMode = 'own' | 'added' | 'mirror';

export interface Instrumentation {
  readonly mode: InitMode;
  readonly tracer: Tracer;
  /** Present when `init({ run })` named one. */
  readonly run?: Run;
  /** Starts another run on the same endpoint and project. */
  startRun(options: Omit<RunOptions, 'project' | 'endpoint' | 'headers'>): Run;
  /** Exports everything ended so far (spans and the run's records). */
  flush(): Promise<void>;
  /** Finishes `run` (status finished) if still open, flushes, and undoes what `init()` registered. */
  shutdown(): Promise<void>;
}

interface Wiring {
  readonly mode: InitMode;
  readonly provider: ApiTracerProvider;
  readonly flush: () => Promise<void>;
  readonly close: () => Promise<void>;
  readonly onSpanEnd?: (span: Span) => void;
}

function ownProvider(options: InitOptions): Wiring {
  const provider = new TracerProvider({
    resource: mlrunResource({ project: options.project, runId: options.run, runName: options.runName }, options.serviceName),
    spanProcessors: [new BatchSpanProcessor({ exporter: traceExporter(options) })],
  });
  const registered = trace.setGlobalTracerProvider(provider);
  return {
    mode: 'own',
    provider,
    flush: () => provider.forceFlush(),
    close: async () => {
      await provider.shutdown();
      if (registered) trace.disable();
    },
  };
}

function joinProvider(existing: ApiTracerProvider, options: InitOptions): Wiring {
  const overlay = new ResourceOverlay(mlrunAttributes({ project: options.project, runId: options.run, runName: options.runName }));
  const processor = new MlrunSpanProcessor(new BatchSpanProcessor({ exporter: traceExporter(options) }), overlay);
  const wiring = { provider: existing, flush: () => processor.forceFlush(), close: () => processor.shutdown() };
  if (acceptsSpanProcessors(existing)) {
    existing.addSpanProcessor(processor);
    return { ...wiring, mode: 'added' };
  }
  diag.info('@mlrun/instrumentation: the registered TracerProvider takes no new span processors; mirroring the helper spans to MLRun');
  const onSpanEnd = (span: Span): void => {
    const readable = asReadableSpan(span);
    if (readable) processor.onEnd(readable);
  };
  return { ...wiring, mode: 'mirror', onSpanEnd };
}

/** Registers an AsyncLocalStorage context manager when none is, so helper spans nest across `await`. */
function ensureContextManager(): () => void {
  if (hasContextManager()) return () => {};
  const manager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(manager)) return () => manager.disable();
  return () => context.disable();
}

/**
 * Connects this process to MLRun (see the file comment for how it joins an existing OTel setup). One
 * `init()` may be active at a time; `shutdown()` it before the next.
 */
export function init(options: InitOptions): Instrumentation {
  const token = claimSettings();
  try {
    return wire(token, options);
  } catch (error) {
    releaseSettings(token);
    throw error;
  }
}

function wire(token: symbol, options: InitOptions): Instrumentation {
  const existing = registeredTracerProvider();
  const wiring = existing ? joinProvider(existing, options) : ownProvider(options);
  installSettings(token, {
    captureMessageContent: options.captureMessageContent ?? false,
    spanAttributes: mlrunAttributes({ project: options.project, runId: options.run }),
    tracerProvider: wiring.provider,
    onSpanEnd: wiring.onSpanEnd,
  });
  const releaseContext = ensureContextManager();
  const connection: Connection = { endpoint: options.endpoint, headers: options.headers };
  const spawn = (runOptions: Omit<RunOptions, 'project' | 'endpoint' | 'headers'>): Run =>
    startRun({ serviceName: options.serviceName, ...runOptions, ...connection, project: options.project });
  const run = options.run === undefined ? undefined : spawn({ id: options.run, name: options.runName });
  let closing: Promise<void> | undefined;
  return {
    mode: wiring.mode,
    tracer: wiring.provider.getTracer(SCOPE_NAME, VERSION),
    run,
    startRun: spawn,
    flush: async () => {
      await Promise.all([wiring.flush(), run?.flush()]);
    },
    shutdown: () => {
      closing ??= (async () => {
        releaseSettings(token);
        await Promise.all([run?.finish(), wiring.close()]);
        releaseContext();
      })();
      return closing;
    },
  };
}
