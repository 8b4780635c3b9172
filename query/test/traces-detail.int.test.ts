/**
 * Span detail through the traces API, after real OTel JS SDK programs exported over OTLP/HTTP protobuf:
 * every typed attribute, events, links, resource and scope as sent, and the normalised view of each of
 * the three conventions (current GenAI, OpenInference, deprecated GenAI) with exact tokens and costs.
 * Bad input: unknown project/trace/span 404, bad filter 400 with its position, bad cursor 400, limits out
 * of range 400; instants the date-time format allows but storage cannot hold 400; a span nesting JSON
 * 20,000 deep with `inf` token counts is shown (as text), not a 500, and its project (spans only, no
 * run) is in the projects list. The OpenAPI document lists every
 * route and the recursive SpanNode.
 */
import t from 'tap';
import { DEEP_JSON, hostileProgram, T0 } from './fixtures/agent-programs.js';
import type { Agents } from './fixtures/traces-app.js';
import { agentsApp, expectedSummaries, getJson, priced } from './fixtures/traces-app.js';

interface Attr {
  key: string;
  type: string;
  value: unknown;
}
interface Detail {
  span: Record<string, unknown>;
  traceState: string;
  attributes: Attr[];
  resource: Attr[];
  scope: { name: string; version: string; attributes: Attr[] };
  events: Array<{ time: string; name: string; attributes: Attr[] }>;
  links: Array<{ traceId: string; spanId: string; traceState: string; attributes: Attr[] }>;
  normalized: Record<string, unknown>;
  runId: string | null;
}

let agents: Agents;
t.before(async () => {
  agents = await agentsApp(t, 'traces-detail');
});

const sent = (p: 'p1' | 'p2' | 'p3', label: string) => agents[p][label] ?? { traceId: '', spanId: '' };
const detail = (p: 'p1' | 'p2' | 'p3', label: string) => getJson<Detail>(agents.app, `/api/v1/projects/agents/traces/${sent(p, label).traceId}/spans/${sent(p, label).spanId}`);
const attr = (list: Attr[], key: string) => list.find((a) => a.key === key);

t.test('current GenAI: typed attributes, events, links, resource, scope, the normalised LLM view', async (t) => {
  const { status, body } = await detail('p1', 't1.chat0');
  t.equal(status, 200, JSON.stringify(body));
  t.same(
    ['gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.request.temperature', 'gen_ai.response.finish_reasons', 'gen_ai.request.stream'].map((k) => attr(body.attributes, k)),
    [
      { key: 'gen_ai.request.model', type: 'string', value: 'gpt-4o' },
      { key: 'gen_ai.usage.input_tokens', type: 'int', value: 1200 },
      { key: 'gen_ai.request.temperature', type: 'double', value: 0.25 },
      { key: 'gen_ai.response.finish_reasons', type: 'array', value: ['tool_calls'] },
      { key: 'gen_ai.request.stream', type: 'bool', value: false },
    ],
  );
  t.equal(body.attributes.length, 11, 'every attribute sent, nothing else');
  t.same(body.attributes.map((a) => a.key), [...body.attributes.map((a) => a.key)].sort(), 'sorted by key');
  t.same(body.events, [
    { time: new Date(T0 + 15).toISOString(), name: 'gen_ai.first_token', attributes: [{ key: 'gen_ai.token.index', type: 'int', value: 0 }, { key: 'note', type: 'string', value: 'fast' }] },
  ]);
  t.same(
    ['mlrun.project', 'mlrun.run.id', 'service.name', 'deployment.replica', 'host.arm'].map((k) => attr(body.resource, k)),
    [
      { key: 'mlrun.project', type: 'string', value: 'agents' },
      { key: 'mlrun.run.id', type: 'string', value: 'run-a' },
      { key: 'service.name', type: 'string', value: 'planner-svc' },
      { key: 'deployment.replica', type: 'int', value: 3 },
      { key: 'host.arm', type: 'bool', value: false },
    ],
  );
  t.same(body.scope, { name: 'agent-lib', version: '2.1.0', attributes: [] });
  t.equal(body.runId, 'run-a');
  t.match(body.span, { spanId: sent('p1', 't1.chat0').spanId, parentSpanId: sent('p1', 't1.root').spanId, kind: 'llm', childCount: 0, children: null, startOffsetMs: 10 });
  t.match(body.normalized, {
    kind: 'llm',
    convention: 'gen_ai',
    model: 'gpt-4o-2024-08-06',
    provider: 'openai',
    inputTokens: 1200,
    outputTokens: 300,
    cost: { input: 2400 / 1e6, output: 2400 / 1e6, total: priced('gpt-4o', 1200, 300), source: 'price_table' },
    inputMessages: [{ role: 'user', content: 'Weather in Paris?' }],
    outputMessages: [{ role: 'assistant', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] }],
  });
});

t.test('a tool span: status, link to the LLM call, parsed arguments and result', async (t) => {
  const { body } = await detail('p1', 't1.tool');
  t.match(body.span, { kind: 'tool', status: 'error', statusMessage: 'weather API timeout', toolName: 'get_weather' });
  t.same(body.links, [{ traceId: sent('p1', 't1.chat0').traceId, spanId: sent('p1', 't1.chat0').spanId, traceState: '', attributes: [{ key: 'link.reason', type: 'string', value: 'tool call of' }] }]);
  t.match(body.normalized, { kind: 'tool', toolName: 'get_weather', toolArguments: { city: 'Paris' }, toolResult: { temp_c: 21 } });
  const agent = await detail('p1', 't1.root');
  t.match(agent.body.normalized, { kind: 'agent', agentName: 'planner', sessionId: 'conv-1', inputTokens: 9999 });
  t.match(agent.body.span, { childCount: 3, children: null });
});

t.test('OpenInference: flattened messages, tool calls, session, reported cost wins over the table', async (t) => {
  const llm = await detail('p2', 'llm');
  t.equal(llm.status, 200);
  t.match(llm.body.normalized, {
    kind: 'llm',
    convention: 'openinference',
    model: 'claude-3-5-sonnet-20241022',
    provider: 'anthropic',
    inputTokens: 800,
    outputTokens: 150,
    cost: { total: priced('claude-3-5-sonnet', 800, 150), source: 'price_table' },
    inputMessages: [
      { role: 'system', content: 'You answer from the docs.' },
      { role: 'user', content: 'What do the docs say?' },
    ],
    outputMessages: [{ role: 'assistant', toolCalls: [{ id: 'tc_9', name: 'search_docs', arguments: { q: 'hello' } }] }],
    sessionId: 'sess-2',
  });
  t.equal(llm.body.runId, null);
  const answer = await detail('p2', 'answer');
  t.match(answer.body.normalized, { cost: { total: 0.123, source: 'reported' } });
  t.match(answer.body.span, { cost: 0.123, inputTokens: 400, outputTokens: 50 });
  const tool = await detail('p2', 'tool');
  t.match(tool.body.normalized, { kind: 'tool', toolName: 'search_docs', toolArguments: { q: 'hello' }, toolResult: ['doc-1'] });
  const root = await detail('p2', 'root');
  t.match(root.body.normalized, { kind: 'agent', convention: 'openinference', sessionId: 'sess-2' });
});

t.test('deprecated GenAI names: tokens, provider, flattened prompt and completion', async (t) => {
  const { body } = await detail('p3', 'root');
  t.match(body.normalized, {
    kind: 'llm',
    convention: 'gen_ai_deprecated',
    model: 'gpt-3.5-turbo',
    provider: 'openai',
    inputTokens: 50,
    outputTokens: 20,
    cost: { total: priced('gpt-3.5-turbo', 50, 20), source: 'price_table' },
    inputMessages: [{ role: 'user', content: 'Say hello' }],
    outputMessages: [{ role: 'assistant', content: 'Hello!' }],
  });
  t.match(body.span, { parentSpanId: null, kind: 'llm', childCount: 0 });
});

t.test('unknown project, trace and span: 404', async (t) => {
  const trace = expectedSummaries(agents)[0]?.traceId ?? '';
  const cases = [
    '/api/v1/projects/nope/traces',
    `/api/v1/projects/nope/traces/${trace}`,
    `/api/v1/projects/agents/traces/${'ab'.repeat(16)}`,
    `/api/v1/projects/agents/traces/${trace}/spans/${'cd'.repeat(8)}`,
    `/api/v1/projects/agents/traces/${trace}/spans/${'cd'.repeat(8)}/children`,
    '/api/v1/projects/nope/sessions',
    '/api/v1/projects/agents/sessions/no-such-session',
    '/api/v1/projects/nope/traces/stats',
  ];
  for (const url of cases) {
    const { status, body } = await getJson<{ code: string }>(agents.app, url);
    t.equal(status, 404, url);
    t.equal(body.code, 'MLRUN_ERR_NOT_FOUND', url);
  }
});

t.test('bad filters: 400 MLRUN_ERR_FILTER_SYNTAX with the parameter, position and expectation', async (t) => {
  const cases: Array<[string, number, string]> = [
    ['foo = 1', 0, 'a field (name, service, status, duration, attr.<key>, resource.<key>)'],
    ['attr = 1', 4, 'an attribute key (attr.<key>)'],
    ['attr.x >', 8, 'a string or a number'],
    ['duration > "slow"', 11, 'a duration (250ms, 1.5s) or a number of milliseconds'],
    ['name = "a" and', 14, "a field (name, service, status, duration, attr.<key>, resource.<key>), 'not' or '('"],
    ['config.lr = 1', 0, 'a field (name, service, status, duration, attr.<key>, resource.<key>)'],
  ];
  for (const [filter, position, expected] of cases) {
    const { status, body } = await getJson<{ code: string; details: unknown }>(agents.app, `/api/v1/projects/agents/traces?filter=${encodeURIComponent(filter)}`);
    t.equal(status, 400, filter);
    t.match(body, { code: 'MLRUN_ERR_FILTER_SYNTAX', details: { parameter: 'filter', position, expected } }, filter);
  }
});

t.test('bad cursors and out-of-range limits: 400', async (t) => {
  const trace = expectedSummaries(agents)[3]?.traceId ?? '';
  const span = sent('p1', 't1.root').spanId;
  const sessions = await getJson<{ nextCursor: string }>(agents.app, '/api/v1/projects/agents/sessions?limit=1');
  const cursors = ['not-a-cursor!', Buffer.from('{"v":1,"t":"traces","k":["x","y"]}').toString('base64url'), sessions.body.nextCursor];
  for (const cursor of cursors) {
    const { status, body } = await getJson<{ code: string; details: unknown }>(agents.app, `/api/v1/projects/agents/traces?cursor=${encodeURIComponent(cursor)}`);
    t.equal(status, 400, cursor);
    t.match(body, { code: 'MLRUN_ERR_FILTER_SYNTAX', details: { parameter: 'cursor' } });
  }
  const limits = [
    '/api/v1/projects/agents/traces?limit=0',
    '/api/v1/projects/agents/traces?limit=501',
    `/api/v1/projects/agents/traces/${trace}?depth=0`,
    `/api/v1/projects/agents/traces/${trace}?depth=21`,
    `/api/v1/projects/agents/traces/${trace}?limit=1001`,
    `/api/v1/projects/agents/traces/${trace}/spans/${span}/children?limit=1001`,
    '/api/v1/projects/agents/sessions?limit=501',
    '/api/v1/projects/agents/traces?minDurationMs=-1',
    '/api/v1/projects/agents/traces?status=failed',
    '/api/v1/projects/agents/traces?from=yesterday',
    '/api/v1/projects/agents/traces?bogus=1',
    `/api/v1/projects/agents/traces/${trace.toUpperCase()}`,
    `/api/v1/projects/agents/traces/${trace}/spans/xyz`,
  ];
  for (const url of limits) {
    const { status, body } = await getJson<{ code: string }>(agents.app, url);
    t.equal(status, 400, url);
    t.equal(body.code, 'MLRUN_ERR_VALIDATION', url);
  }
});

t.test('instants and durations the formats allow but storage cannot hold: 400 naming the parameter', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['/api/v1/projects/agents/traces?from=2016-12-31T23:59:60Z', 'MLRUN_ERR_BAD_REQUEST', 'from'],
    ['/api/v1/projects/agents/traces?to=9999-12-31T00:00:00Z', 'MLRUN_ERR_BAD_REQUEST', 'to'],
    ['/api/v1/projects/agents/traces?from=1800-01-01T00:00:00Z', 'MLRUN_ERR_BAD_REQUEST', 'from'],
    ['/api/v1/projects/agents/sessions?from=2016-12-31T23:59:60Z', 'MLRUN_ERR_BAD_REQUEST', 'from'],
    ['/api/v1/projects/agents/traces/stats?to=9999-12-31T00:00:00Z', 'MLRUN_ERR_BAD_REQUEST', 'to'],
    [`/api/v1/projects/agents/traces?cursor=${Buffer.from('{"v":1,"t":"traces","k":["99999999999999999999","x"]}').toString('base64url')}`, 'MLRUN_ERR_FILTER_SYNTAX', 'cursor'],
  ];
  for (const [url, code, parameter] of cases) {
    const { status, body } = await getJson<{ code: string; details: unknown }>(agents.app, url);
    t.equal(status, 400, url);
    t.match(body, { code, details: { parameter } }, url);
  }
  for (const url of ['/api/v1/projects/agents/traces?minDurationMs=Infinity', '/api/v1/projects/agents/traces?maxDurationMs=1e400', '/api/v1/projects/agents/traces?minDurationMs=1e13']) {
    const { status, body } = await getJson<{ code: string }>(agents.app, url);
    t.match([status, body.code], [400, 'MLRUN_ERR_VALIDATION'], url);
  }
  const exact = await getJson<{ traces: { traceId: string }[] }>(agents.app, `/api/v1/projects/agents/traces?from=${new Date(T0 + 120_000).toISOString()}&to=${new Date(T0 + 120_001).toISOString()}`);
  t.same(exact.body.traces.map((s) => s.traceId), [expectedSummaries(agents)[1]?.traceId], 'a trace starting exactly at `from` is in [from, to)');
});

t.test('a span with JSON nested 20,000 deep and inf/nan token counts: shown as text, never a 500', async (t) => {
  const hostile = await hostileProgram(agents.otlpUrl);
  const tool = hostile['tool'] ?? { traceId: '', spanId: '' };
  const { status, body } = await getJson<Detail>(agents.app, `/api/v1/projects/hostile/traces/${tool.traceId}/spans/${tool.spanId}`);
  t.equal(status, 200);
  t.match(body.normalized, { kind: 'tool', toolName: 'deep', toolArguments: DEEP_JSON, toolResult: DEEP_JSON, inputTokens: null, outputTokens: null });
  const tree = await getJson<{ trace: { spanCount: number; inputTokens: number } }>(agents.app, `/api/v1/projects/hostile/traces/${tool.traceId}`);
  t.match(tree, { status: 200, body: { trace: { spanCount: 2, inputTokens: 0 } } }, 'both spans stored, the counts read as unknown');
  const { body: list } = await getJson<{ projects: Array<{ name: string; runCount: number; traceCount: number; createdAt: string; lastActivityAt: string }> }>(agents.app, '/api/v1/projects');
  t.same(
    list.projects.find((p) => p.name === 'hostile'),
    { name: 'hostile', runCount: 0, runningCount: 0, traceCount: 1, createdAt: new Date(T0 + 900_000).toISOString(), lastActivityAt: new Date(T0 + 900_030).toISOString() },
    'a project that only sent traces is listed, from its spans',
  );
  t.match(list.projects.find((p) => p.name === 'agents'), { traceCount: 4 }, 'a registered project counts its traces too');
});

t.test('OpenAPI: the seven route groups and the recursive SpanNode', async (t) => {
  const { body } = await getJson<{ paths: Record<string, unknown>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>(agents.app, '/api/v1/openapi.json');
  for (const path of [
    '/api/v1/projects/{project}/traces',
    '/api/v1/projects/{project}/traces/{traceId}',
    '/api/v1/projects/{project}/traces/{traceId}/spans/{spanId}/children',
    '/api/v1/projects/{project}/traces/{traceId}/spans/{spanId}',
    '/api/v1/projects/{project}/sessions',
    '/api/v1/projects/{project}/sessions/{sessionId}',
    '/api/v1/projects/{project}/traces/stats',
    '/api/v1/projects/{project}/runs/{runId}/traces',
  ]) {
    t.ok(body.paths[path], path);
  }
  t.match(body.components.schemas.SpanNode?.properties.children, { anyOf: [{ type: 'array', items: { $ref: '#/components/schemas/SpanNode' } }, { type: 'null' }] });
});
