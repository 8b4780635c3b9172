/**
 * init() with no tracing set up: MLRun's own TracerProvider, OTLP/HTTP protobuf to a real receiver, spans
 * read back from ClickHouse. Nested agent → llm → tool, resource and span attribution, message content only
 * when opted in, the error path, and init({ run }) tying the spans to a run that finishes on shutdown.
 */
import { trace } from '@opentelemetry/api';
import t from 'tap';
import { init, withAgent, withLLM, withSpan, withTool } from '../src/index.js';
import type { Mlrun } from './fixtures/mlrun.js';
import { getJson, spanNamed, spansOf, startMlrun } from './fixtures/mlrun.js';

// OTLP span kinds and status codes as stored.
const INTERNAL = 1;
const CLIENT = 3;
const ERROR = 2;

let mlrun: Mlrun;
t.before(async () => {
  mlrun = await startMlrun(t, 'init');
});

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** One agent turn: a model call that asks for a tool, the tool, a second model call that answers. */
async function agentTurn(): Promise<string> {
  return withAgent(
    'support',
    async () => {
      const messages = [{ role: 'user', content: 'Weather in Paris?' }];
      await withLLM({ model: 'gpt-4o', provider: 'openai', inputMessages: messages, systemInstructions: 'Be brief.', temperature: 0.2 }, async (llm) => {
        await tick();
        llm.setResponse({
          model: 'gpt-4o-2024-08-06',
          id: 'chatcmpl-1',
          inputTokens: 12,
          outputTokens: 5,
          finishReasons: ['tool_calls'],
          outputMessages: [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }] }],
        });
      });
      const weather = await withTool('get_weather', { city: 'Paris' }, async () => ({ temp: 21 }), { callId: 'c1' });
      return `${weather.temp}°C`;
    },
    { id: 'agent-1', conversationId: 'conv-1' },
  );
}

t.test('own provider: nested agent → llm → tool arrive with names, parents, gen_ai.* and MLRun attribution', async (t) => {
  const mlrunSdk = init({ project: 'p-own', endpoint: mlrun.endpoint, serviceName: 'support-bot' });
  t.equal(mlrunSdk.mode, 'own');
  t.equal(mlrunSdk.run, undefined, 'no run named, none started');
  t.equal(await agentTurn(), '21°C');
  await mlrunSdk.shutdown();
  t.notOk(trace.getTracer('x').startSpan('y').isRecording(), 'shutdown unregistered the provider');

  const rows = await spansOf(mlrun, 'p-own');
  t.equal(rows.length, 3);
  const agent = spanNamed(rows, 'invoke_agent support');
  const llm = spanNamed(rows, 'chat gpt-4o');
  const tool = spanNamed(rows, 'execute_tool get_weather');
  t.equal(agent.parent_span_id, '');
  t.same([llm.parent_span_id, tool.parent_span_id], [agent.span_id, agent.span_id]);
  t.same(new Set(rows.map((r) => r.trace_id)).size, 1);
  t.same([agent.kind, llm.kind, tool.kind], [INTERNAL, CLIENT, INTERNAL]);
  for (const row of rows) {
    t.match(row, { project: 'p-own', run_id: '', service_name: 'support-bot', scope_name: '@mlrun/instrumentation' });
    t.match(row.resource_str, { 'mlrun.project': 'p-own', 'service.name': 'support-bot', 'telemetry.sdk.language': 'nodejs' });
    t.notOk('mlrun.run.id' in row.resource_str);
    t.equal(row.attributes_str['mlrun.project'], 'p-own', 'mlrun.project also on the span');
  }
  t.match(agent.attributes_str, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support', 'gen_ai.agent.id': 'agent-1', 'gen_ai.conversation.id': 'conv-1' });
  t.match(llm.attributes_str, { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.response.id': 'chatcmpl-1' });
  t.same(llm.attributes_int, { 'gen_ai.usage.input_tokens': '12', 'gen_ai.usage.output_tokens': '5' });
  t.same(llm.attributes_float, { 'gen_ai.request.temperature': 0.2 });
  t.same(JSON.parse(llm.attributes_json['gen_ai.response.finish_reasons'] ?? 'null'), { arrayValue: { values: [{ stringValue: 'tool_calls' }] } });
  t.match(tool.attributes_str, {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'get_weather',
    'gen_ai.tool.call.id': 'c1',
    'gen_ai.tool.call.arguments': '{"city":"Paris"}',
    'gen_ai.tool.call.result': '{"temp":21}',
  });
  const content = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions'];
  t.same(content.filter((key) => key in llm.attributes_str), [], 'message content is opt-in: absent by default');
});

t.test('captureMessageContent + run: messages as structured JSON; spans belong to the run, which finishes on shutdown', async (t) => {
  const mlrunSdk = init({ project: 'p-capture', run: 'chat-eval-1', runName: 'chat eval', endpoint: mlrun.endpoint, captureMessageContent: true });
  t.equal(mlrunSdk.run?.id, 'chat-eval-1');
  await agentTurn();
  mlrunSdk.run?.log({ turns: 1 });
  await mlrunSdk.shutdown();

  const rows = await spansOf(mlrun, 'p-capture');
  t.equal(rows.length, 3);
  for (const row of rows) {
    t.match(row, { run_id: 'chat-eval-1', service_name: 'mlrun-node' });
    t.match(row.resource_str, { 'mlrun.project': 'p-capture', 'mlrun.run.id': 'chat-eval-1', 'mlrun.run.name': 'chat eval' });
    t.match(row.attributes_str, { 'mlrun.project': 'p-capture', 'mlrun.run.id': 'chat-eval-1' });
  }
  const llm = spanNamed(rows, 'chat gpt-4o').attributes_str;
  t.same(JSON.parse(llm['gen_ai.input.messages'] ?? 'null'), [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }]);
  t.same(JSON.parse(llm['gen_ai.system_instructions'] ?? 'null'), [{ type: 'text', content: 'Be brief.' }]);
  t.same(JSON.parse(llm['gen_ai.output.messages'] ?? 'null'), [
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_calls' },
  ]);

  const run = await getJson<{ name: string; status: string; exitCode: number; summary: Record<string, { last: number }> }>(mlrun, '/api/v1/projects/p-capture/runs/chat-eval-1');
  t.equal(run.status, 200);
  t.match(run.body, { name: 'chat eval', status: 'finished', exitCode: 0, summary: { turns: { last: 1 } } });
});

t.test('errors: ERROR status, exception event and error.type are stored; the error reaches the caller', async (t) => {
  const mlrunSdk = init({ project: 'p-error', endpoint: mlrun.endpoint });
  const failure = withAgent('flaky', async () => {
    await withTool('lookup', { id: 7 }, async () => {
      await tick();
      throw new RangeError('no such id: 7');
    });
  });
  await t.rejects(failure, { name: 'RangeError', message: 'no such id: 7' });
  t.throws(() => withSpan('sync step', () => withTool('parse', '{', () => JSON.parse('{') as unknown)), SyntaxError);
  await mlrunSdk.shutdown();

  const rows = await spansOf(mlrun, 'p-error');
  t.equal(rows.length, 4);
  for (const name of ['execute_tool lookup', 'invoke_agent flaky']) {
    const row = spanNamed(rows, name);
    t.match(row, { status_code: ERROR, status_message: 'no such id: 7' }, name);
    t.equal(row.attributes_str['error.type'], 'RangeError', name);
    t.same(row['events.name'], ['exception'], name);
    t.match(row['events.attributes'][0], /"exception.type","value":\{"stringValue":"RangeError"\}/, name);
  }
  t.notOk('gen_ai.tool.call.result' in spanNamed(rows, 'execute_tool lookup').attributes_str);
  t.equal(spanNamed(rows, 'execute_tool parse').parent_span_id, spanNamed(rows, 'sync step').span_id, 'sync nesting');
  t.match(spanNamed(rows, 'sync step'), { status_code: ERROR, attributes_str: { 'error.type': 'SyntaxError' } });
});

t.test('one init() at a time; after shutdown() a new one may start', async (t) => {
  const first = init({ project: 'p-twice', endpoint: mlrun.endpoint });
  t.throws(() => init({ project: 'p-twice', endpoint: mlrun.endpoint }), /already active/);
  t.equal(withSpan('still works', () => 'yes'), 'yes');
  await first.shutdown();
  await first.shutdown();
  const second = init({ project: 'p-twice', endpoint: mlrun.endpoint });
  t.equal(second.mode, 'own', 'the first one unregistered its provider');
  await second.shutdown();
  t.same((await spansOf(mlrun, 'p-twice')).map((r) => r.name), ['still works']);
});

t.test('no endpoint: OTEL_EXPORTER_OTLP_ENDPOINT is respected; headers reach the receiver (x-mlrun-project overrides)', async (t) => {
  const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = mlrun.endpoint;
  t.teardown(() => {
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
  });
  const fromEnv = init({ project: 'p-env' });
  withSpan('via env', () => undefined);
  await fromEnv.shutdown();
  t.same((await spansOf(mlrun, 'p-env')).map((r) => r.name), ['via env']);

  const withHeaders = init({ project: 'p-resource', headers: { 'x-mlrun-project': 'p-header' } });
  withSpan('via header', () => undefined);
  await withHeaders.shutdown();
  t.same((await spansOf(mlrun, 'p-resource')).length, 0);
  const rows = await spansOf(mlrun, 'p-header');
  t.same(rows.map((r) => [r.name, r.resource_str['mlrun.project']]), [['via header', 'p-resource']], 'the header wins over the resource attribute');
});
