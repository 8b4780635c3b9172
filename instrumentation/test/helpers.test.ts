/**
 * The span helpers on a provider MLRun did not set up (no init()): a real OTel SDK TracerProvider with an
 * in-memory exporter and the AsyncLocalStorage context manager, as an application would register them.
 * Names, kinds, parent links, gen_ai.* attributes, sync and async functions, errors, and content capture
 * off by default.
 */
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import t from 'tap';
import { withAgent, withLLM, withSpan, withTool } from '../src/index.js';

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'app' }), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
t.teardown(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
t.beforeEach(() => exporter.reset());

function named(name: string): ReadableSpan {
  const found = exporter.getFinishedSpans().filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, got ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
  return found[0] as ReadableSpan;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

t.test('agent → llm → tool nest through awaits, named and attributed per the GenAI conventions', async (t) => {
  const out = await withAgent(
    'planner',
    async () => {
      const text = await withLLM({ model: 'claude-sonnet-4', provider: 'anthropic', inputMessages: [{ role: 'user', content: 'hi' }], maxTokens: 256, temperature: 0 }, async (llm) => {
        await tick();
        llm.setResponse({ model: 'claude-sonnet-4-20250514', inputTokens: 10, outputTokens: 3, finishReasons: ['end_turn'], outputMessages: [{ role: 'assistant', content: 'hello' }] });
        return 'hello';
      });
      await tick();
      const hits = await withTool('search', { q: text }, async () => [{ id: 1 }]);
      return hits.length;
    },
    { id: 'agent-7', version: '2' },
  );
  t.equal(out, 1);
  const agent = named('invoke_agent planner');
  const llm = named('chat claude-sonnet-4');
  const tool = named('execute_tool search');
  t.equal(agent.parentSpanContext, undefined, 'the agent is the root');
  t.equal(llm.parentSpanContext?.spanId, agent.spanContext().spanId);
  t.equal(tool.parentSpanContext?.spanId, agent.spanContext().spanId);
  t.equal(new Set([agent, llm, tool].map((s) => s.spanContext().traceId)).size, 1, 'one trace');
  t.same([agent.kind, llm.kind, tool.kind], [SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.INTERNAL]);
  t.same(agent.attributes, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.agent.id': 'agent-7', 'gen_ai.agent.version': '2' });
  t.same(llm.attributes, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-4',
    'gen_ai.request.max_tokens': 256,
    'gen_ai.request.temperature': 0,
    'gen_ai.response.model': 'claude-sonnet-4-20250514',
    'gen_ai.response.finish_reasons': ['end_turn'],
    'gen_ai.usage.input_tokens': 10,
    'gen_ai.usage.output_tokens': 3,
  }, 'no message content without init({ captureMessageContent: true })');
  t.same(tool.attributes, {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'search',
    'gen_ai.tool.type': 'function',
    'gen_ai.tool.call.arguments': '{"q":"hello"}',
    'gen_ai.tool.call.result': '[{"id":1}]',
  });
  t.ok(llm.endTime[0] * 1e9 + llm.endTime[1] <= tool.startTime[0] * 1e9 + tool.startTime[1], 'the llm span ended when its promise settled');
  t.equal(trace.getActiveSpan(), undefined, 'no span is left active afterwards');
});

t.test('sync functions: the value comes back, the span ends before the helper returns', async (t) => {
  const value = withAgent('sync', () => withTool('add', [1, 2], () => 3));
  t.equal(value, 3);
  t.equal(named('execute_tool add').parentSpanContext?.spanId, named('invoke_agent sync').spanContext().spanId);
  t.equal(named('execute_tool add').attributes['gen_ai.tool.call.result'], '3');
  t.ok(named('invoke_agent sync').ended);
  const operation = withLLM({ model: 'text-embedding-3-small', provider: 'openai', operation: 'embeddings' }, (llm) => {
    llm.setResponse({ inputTokens: 4 });
    return 'vector';
  });
  t.equal(operation, 'vector');
  t.match(named('embeddings text-embedding-3-small').attributes, { 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.input_tokens': 4 });
});

t.test('errors: status ERROR, an exception event and error.type on every span they pass, rethrown as is', async (t) => {
  class ToolTimeout extends Error {
    override name = 'ToolTimeout';
  }
  const thrown = new ToolTimeout('search took too long');
  const failure = withAgent('a', async () => {
    await withTool('search', 'q', async () => {
      await tick();
      throw thrown;
    });
  });
  await t.rejects(failure, thrown);
  for (const name of ['execute_tool search', 'invoke_agent a']) {
    const span = named(name);
    t.same(span.status, { code: SpanStatusCode.ERROR, message: 'search took too long' }, name);
    t.equal(span.attributes['error.type'], 'ToolTimeout', name);
    t.same(span.events.map((e) => [e.name, e.attributes?.['exception.type'], e.attributes?.['exception.message']]), [['exception', 'ToolTimeout', 'search took too long']], name);
  }
  t.equal(named('execute_tool search').attributes['gen_ai.tool.call.arguments'], 'q', 'a string argument is kept as given');
  t.notOk('gen_ai.tool.call.result' in named('execute_tool search').attributes, 'no result on a failed call');
  exporter.reset();
  t.throws(() => withSpan('parse', () => JSON.parse('{') as unknown), SyntaxError);
  t.match(named('parse'), { status: { code: SpanStatusCode.ERROR }, attributes: { 'error.type': 'SyntaxError' } });
  t.ok(named('parse').ended);
});

t.test('withSpan takes a kind and attributes; helper spans carry no mlrun.* attributes without init()', async (t) => {
  await withSpan('retrieve', async (span) => span.setAttribute('hits', 3), { kind: SpanKind.CLIENT, attributes: { 'db.system': 'pgvector' } });
  t.match(named('retrieve'), { kind: SpanKind.CLIENT, attributes: { 'db.system': 'pgvector', hits: 3 } });
  t.notOk(Object.keys(named('retrieve').attributes).some((k) => k.startsWith('mlrun.')));
});
