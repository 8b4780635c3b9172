/**
 * The traces API end to end: three real OTel JS SDK agent programs (current GenAI, OpenInference,
 * deprecated GenAI) → OTLP/HTTP protobuf → receiver (with the run registry) → ClickHouse → the query API.
 * Search (every filter, keyset pages), the tree, children pages, span detail with every typed attribute,
 * event, link, resource and scope, the normalised view, and the run ↔ trace link; values are exact.
 */
import t from 'tap';
import { T0 } from './fixtures/agent-programs.js';
import type { Agents } from './fixtures/traces-app.js';
import { agentsApp, expectedSummaries, getJson, priced } from './fixtures/traces-app.js';

interface Summary {
  traceId: string;
  [key: string]: unknown;
}
interface List {
  traces: Summary[];
  nextCursor: string | null;
}
interface Node {
  spanId: string;
  childCount: number;
  children: Node[] | null;
  [key: string]: unknown;
}

let agents: Agents;
t.before(async () => {
  agents = await agentsApp(t, 'traces-api');
});

const list = (query: string) => getJson<List>(agents.app, `/api/v1/projects/agents/traces${query}`);
const ids = (l: List) => l.traces.map((s) => s.traceId);
const trace = (label: 'p3' | 'p2' | 'p1t2' | 'p1t1'): string => expectedSummaries(agents)[['p3', 'p2', 'p1t2', 'p1t1'].indexOf(label)]?.traceId ?? '';
const spanId = (p: 'p1' | 'p2' | 'p3', label: string): string => agents[p][label]?.spanId ?? '';

t.test('the list: newest first, every summary field exact (tokens, models, costs from the configured prices)', async (t) => {
  const { status, body } = await list('');
  t.equal(status, 200, JSON.stringify(body));
  t.same(body.traces, expectedSummaries(agents));
  t.equal(body.nextCursor, null);
});

t.test('keyset pages cover the list exactly once', async (t) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: List } = await list(`?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
    t.equal(page.status, 200);
    seen.push(...ids(page.body));
    cursor = page.body.nextCursor;
  } while (cursor !== null && seen.length < 10);
  t.same(seen, ['p3', 'p2', 'p1t2', 'p1t1'].map((l) => trace(l as 'p3')));
});

t.test('search parameters', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['?model=claude-3-5-sonnet-20241022', ['p2']],
    ['?model=gpt-4o-2024-08-06', ['p1t2', 'p1t1']],
    ['?runId=run-a', ['p1t2', 'p1t1']],
    ['?service=legacy-bot', ['p3']],
    ['?name=search_docs', ['p2']],
    ['?status=error', ['p1t1']],
    ['?status=ok', ['p1t2']],
    ['?status=unset', ['p3', 'p2']],
    ['?minDurationMs=900', ['p1t2', 'p1t1']],
    ['?maxDurationMs=100', ['p3']],
    [`?from=${new Date(T0 + 60_000).toISOString()}`, ['p3', 'p2', 'p1t2']],
    [`?to=${new Date(T0 + 60_000).toISOString()}`, ['p1t1']],
    [`?from=${new Date(T0 + 60_000).toISOString()}&to=${new Date(T0 + 150_000).toISOString()}&minDurationMs=900`, ['p1t2']],
  ];
  for (const [query, expected] of cases) {
    const { status, body } = await list(query);
    t.equal(status, 200, query);
    t.same(ids(body), expected.map((l) => trace(l as 'p3')), query);
  }
});

t.test('the filter language over span fields: a trace matches when one span matches', async (t) => {
  const cases: Array<[string, string[]]> = [
    ['attr.gen_ai.request.model = "gpt-4o"', ['p1t2', 'p1t1']],
    ['attr."gen_ai.request.model" = "gpt-4o"', ['p1t2', 'p1t1']],
    ['attr.llm.token_count.prompt >= 800', ['p2']],
    ['attr.gen_ai.usage.prompt_tokens = 50 and name = "openai.chat"', ['p3']],
    ['attr.gen_ai.request.temperature > 0.2', ['p1t2', 'p1t1']],
    ['attr.gen_ai.request.stream = false', ['p1t2', 'p1t1']],
    ['attr.gen_ai.request.model = 5', []],
    ['attr.gen_ai.tool.name in ("get_weather", "x")', ['p1t1']],
    ['status = "error"', ['p1t1']],
    ['name ~ "execute_tool*"', ['p1t1']],
    ['name ~ /^chat/i and service = "docs-agent"', ['p2']],
    ['resource.service.name = "docs-agent"', ['p2']],
    ['resource.deployment.replica = 3 and resource.host.arm = false', ['p1t2', 'p1t1']],
    ['duration > 750 and duration < 900ms', ['p2']],
    ['attr.session.id != null and attr.llm.cost.total = null', ['p2']],
    ['attr.gen_ai.request.model = "gpt-4o" and attr.llm.model_name = "claude-3-5-sonnet-20241022"', []],
  ];
  for (const [filter, expected] of cases) {
    const { status, body } = await list(`?filter=${encodeURIComponent(filter)}`);
    t.equal(status, 200, `${filter}: ${JSON.stringify(body)}`);
    t.same(ids(body), expected.map((l) => trace(l as 'p3')), filter);
  }
});

t.test('the tree: roots, children in start order, child counts, normalised node fields', async (t) => {
  const { status, body } = await getJson<{ trace: Summary; roots: Node[]; truncated: boolean }>(agents.app, `/api/v1/projects/agents/traces/${trace('p1t1')}`);
  t.equal(status, 200, JSON.stringify(body));
  t.same(body.trace, expectedSummaries(agents)[3]);
  t.equal(body.truncated, false);
  t.equal(body.roots.length, 1);
  const [root] = body.roots as [Node];
  t.match(root, { spanId: spanId('p1', 't1.root'), parentSpanId: null, name: 'invoke_agent planner', service: 'planner-svc', kind: 'agent', status: 'ok', startOffsetMs: 0, durationMs: 1000, childCount: 3 });
  t.same(
    root.children?.map((c) => [c.spanId, c.kind, c.status, c.startOffsetMs, c.durationMs, c.model, c.inputTokens, c.outputTokens, c.cost, c.toolName, c.childCount, c.children]),
    [
      [spanId('p1', 't1.chat0'), 'llm', 'unset', 10, 90, 'gpt-4o-2024-08-06', 1200, 300, priced('gpt-4o', 1200, 300), null, 0, null],
      [spanId('p1', 't1.tool'), 'tool', 'error', 110, 50, null, null, null, null, 'get_weather', 0, null],
      [spanId('p1', 't1.chat1'), 'llm', 'unset', 210, 90, 'gpt-4o-2024-08-06', 1500, 200, priced('gpt-4o', 1500, 200), null, 0, null],
    ],
  );
  t.equal(root.children?.[1]?.statusMessage, 'weather API timeout');
  const shallow = await getJson<{ roots: Node[] }>(agents.app, `/api/v1/projects/agents/traces/${trace('p2')}?depth=1`);
  t.same(shallow.body.roots.map((r) => [r.spanId, r.kind, r.childCount, r.children]), [[spanId('p2', 'root'), 'agent', 3, null]]);
  const cut = await getJson<{ roots: Node[]; truncated: boolean }>(agents.app, `/api/v1/projects/agents/traces/${trace('p2')}?limit=2`);
  t.same(cut.body.roots[0]?.children?.map((c) => c.spanId), [spanId('p2', 'llm'), spanId('p2', 'tool')]);
  t.equal(cut.body.truncated, true, 'three children, limit 2');
  const cursor = cut.body.roots[0]?.childrenCursor;
  t.type(cursor, 'string', 'the cut list says where the rest starts');
  t.same(cut.body.roots[0]?.children?.map((c) => c.childrenCursor), [null, null], 'lists that were not cut have no cursor');
  const rest = await getJson<{ children: Node[]; nextCursor: string | null }>(
    agents.app,
    `/api/v1/projects/agents/traces/${trace('p2')}/spans/${spanId('p2', 'root')}/children?limit=2&cursor=${typeof cursor === 'string' ? cursor : ''}`,
  );
  t.equal(rest.status, 200);
  t.same([...(cut.body.roots[0]?.children ?? []), ...rest.body.children].map((c) => c.spanId).sort(), [spanId('p2', 'llm'), spanId('p2', 'tool'), spanId('p2', 'answer')].sort(), 'first page + the rest = every child once');
  t.equal(rest.body.nextCursor, null);
  t.equal(shallow.body.roots[0]?.childrenCursor, null, 'children not loaded at all: no cursor (expand pages from the start)');
});

t.test('children pages: start order, keyset cursor, each child once', async (t) => {
  const base = `/api/v1/projects/agents/traces/${trace('p1t1')}/spans/${spanId('p1', 't1.root')}/children`;
  const first = await getJson<{ children: Node[]; nextCursor: string | null }>(agents.app, `${base}?limit=2`);
  t.equal(first.status, 200);
  t.same(first.body.children.map((c) => c.spanId), [spanId('p1', 't1.chat0'), spanId('p1', 't1.tool')]);
  t.ok(first.body.nextCursor);
  const second = await getJson<{ children: Node[]; nextCursor: string | null }>(agents.app, `${base}?limit=2&cursor=${first.body.nextCursor}`);
  t.same(second.body.children.map((c) => [c.spanId, c.children]), [[spanId('p1', 't1.chat1'), null]]);
  t.equal(second.body.nextCursor, null);
  const other = await getJson<{ code: string; details: unknown }>(agents.app, `/api/v1/projects/agents/traces/${trace('p2')}/spans/${spanId('p2', 'root')}/children?cursor=${first.body.nextCursor}`);
  t.match(other, { status: 400, body: { code: 'MLRUN_ERR_FILTER_SYNTAX', details: { parameter: 'cursor' } } }, "another span's cursor");
});

t.test('runs ↔ traces: spans carrying mlrun.run.id list under the run and name it', async (t) => {
  const { status, body } = await getJson<List>(agents.app, '/api/v1/projects/agents/runs/run-a/traces');
  t.equal(status, 200);
  t.same(body.traces, expectedSummaries(agents).slice(2));
  const page = await getJson<List>(agents.app, '/api/v1/projects/agents/runs/run-a/traces?limit=1');
  t.same(ids(page.body), [trace('p1t2')]);
  const rest = await getJson<List>(agents.app, `/api/v1/projects/agents/runs/run-a/traces?limit=1&cursor=${page.body.nextCursor}`);
  t.same(ids(rest.body), [trace('p1t1')]);
  t.equal((await getJson(agents.app, '/api/v1/projects/agents/runs/nope/traces')).status, 404);
});
