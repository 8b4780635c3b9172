/**
 * init() inside an application that set up OpenTelemetry first. Its provider stays registered and keeps
 * exporting to its own backend; MLRun gets spans too, attributed by MLRun's resource attributes:
 * - sdk-trace 2.x (processors only in the constructor): the helper spans are mirrored to MLRun (`mirror`);
 * - a provider with `addSpanProcessor` (sdk-trace-base 1.x style): every span goes to MLRun too (`added`).
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Context, TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import t from 'tap';
import { init, withAgent, withLLM, withTool } from '../src/index.js';
import type { Mlrun } from './fixtures/mlrun.js';
import { spanNamed, spansOf, startMlrun } from './fixtures/mlrun.js';

let mlrun: Mlrun;
t.before(async () => {
  mlrun = await startMlrun(t, 'existing');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
t.teardown(() => {
  context.disable();
});

/** What the app does per request: an HTTP server span around an agent turn. */
async function handleRequest(): Promise<string> {
  return trace.getTracer('shop-http').startActiveSpan('GET /ask', async (http) => {
    try {
      return await withAgent('assistant', async () => {
        await withLLM({ model: 'gpt-4o-mini', provider: 'openai', inputMessages: [{ role: 'user', content: 'secret' }] }, async (llm) => {
          llm.setResponse({ inputTokens: 3, outputTokens: 1 });
        });
        return withTool('stock', { sku: 'A1' }, () => 4);
      }).then(String);
    } finally {
      http.end();
    }
  });
}

/** An app provider that takes processors after construction, as sdk-trace-base 1.x and some vendor SDKs do. */
class ExtensibleProvider implements ApiTracerProvider {
  private readonly late: SpanProcessor[] = [];
  readonly sdk: TracerProvider;

  constructor(exporter: InMemorySpanExporter) {
    const late = this.late;
    const fanOut: SpanProcessor = {
      onStart: (span: Span, parent: Context) => late.forEach((p) => p.onStart(span, parent)),
      onEnd: (span: ReadableSpan) => late.forEach((p) => p.onEnd(span)),
      forceFlush: async () => {
        await Promise.all(late.map((p) => p.forceFlush()));
      },
      shutdown: async () => {
        await Promise.all(late.map((p) => p.shutdown()));
      },
    };
    this.sdk = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), spanProcessors: [new SimpleSpanProcessor({ exporter }), fanOut] });
  }

  addSpanProcessor(processor: SpanProcessor): void {
    this.late.push(processor);
  }

  getTracer(name: string, version?: string): ReturnType<ApiTracerProvider['getTracer']> {
    return this.sdk.getTracer(name, version);
  }
}

t.test('sdk-trace 2.x provider already registered: not replaced; helper spans mirrored to MLRun', async (t) => {
  const appExporter = new InMemorySpanExporter();
  const app = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop' }), spanProcessors: [new SimpleSpanProcessor({ exporter: appExporter })] });
  trace.setGlobalTracerProvider(app);
  t.teardown(async () => {
    await app.shutdown();
    trace.disable();
  });

  const mlrunSdk = init({ project: 'p-mirror', run: 'mirror-run', endpoint: mlrun.endpoint });
  t.equal(mlrunSdk.mode, 'mirror');
  t.equal(await handleRequest(), '4');
  await mlrunSdk.shutdown();
  t.equal((trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate(), app, 'the app provider is still the registered one');

  const appSpans = appExporter.getFinishedSpans();
  t.same(appSpans.map((s) => s.name).sort(), ['GET /ask', 'chat gpt-4o-mini', 'execute_tool stock', 'invoke_agent assistant'], 'the app exporter saw everything');
  t.same(appSpans.map((s) => s.resource.attributes['mlrun.project']), [undefined, undefined, undefined, undefined], "the app's resource is untouched");
  const appAgent = appSpans.find((s) => s.name === 'invoke_agent assistant');
  t.match(appAgent?.attributes, { 'mlrun.project': 'p-mirror', 'mlrun.run.id': 'mirror-run' }, 'helper spans carry mlrun.* attributes for any backend');

  const rows = await spansOf(mlrun, 'p-mirror');
  t.same(rows.map((r) => r.name).sort(), ['chat gpt-4o-mini', 'execute_tool stock', 'invoke_agent assistant'], 'only the helper spans reach MLRun');
  const http = appSpans.find((s) => s.name === 'GET /ask');
  const agent = spanNamed(rows, 'invoke_agent assistant');
  t.equal(agent.parent_span_id, http?.spanContext().spanId, 'parent links are the same spans the app exported');
  t.equal(agent.trace_id, http?.spanContext().traceId);
  t.equal(spanNamed(rows, 'execute_tool stock').parent_span_id, agent.span_id);
  for (const row of rows) {
    t.match(row, { project: 'p-mirror', run_id: 'mirror-run', service_name: 'shop' });
    t.match(row.resource_str, { 'mlrun.project': 'p-mirror', 'mlrun.run.id': 'mirror-run', 'service.name': 'shop' });
  }
  t.notOk('gen_ai.input.messages' in spanNamed(rows, 'chat gpt-4o-mini').attributes_str, 'content capture still opt-in');
});

t.test('a provider that takes processors: MLRun is added to it and gets all of the app spans', async (t) => {
  const appExporter = new InMemorySpanExporter();
  const app = new ExtensibleProvider(appExporter);
  trace.setGlobalTracerProvider(app);
  t.teardown(async () => {
    await app.sdk.shutdown();
    trace.disable();
  });

  const mlrunSdk = init({ project: 'p-added', endpoint: mlrun.endpoint });
  t.equal(mlrunSdk.mode, 'added');
  await handleRequest();
  await mlrunSdk.tracer.startActiveSpan('background job', async (span) => span.end());
  await mlrunSdk.shutdown();
  await handleRequest();

  t.equal(appExporter.getFinishedSpans().length, 9, 'the app exporter kept working before and after');
  const rows = await spansOf(mlrun, 'p-added');
  t.same(rows.map((r) => r.name).sort(), ['GET /ask', 'background job', 'chat gpt-4o-mini', 'execute_tool stock', 'invoke_agent assistant'], 'every span until shutdown, none after');
  for (const row of rows) {
    t.match(row, { project: 'p-added', run_id: '', service_name: 'shop' });
    t.equal(row.resource_str['mlrun.project'], 'p-added');
  }
  t.equal(spanNamed(rows, 'invoke_agent assistant').parent_span_id, spanNamed(rows, 'GET /ask').span_id);
  t.notOk('mlrun.project' in spanNamed(rows, 'GET /ask').attributes_str, "the app's own spans are left as they were");
});
