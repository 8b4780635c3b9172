/**
 * Sessions and trace stats through the API after real OTel JS SDK agent programs: conversations group
 * their traces (gen_ai.conversation.id, session.id), sums add up to the traces' tokens and costs, stats
 * add up per model and per span name, with exact percentiles and error rates.
 */
import t from 'tap';
import { T0 } from './fixtures/agent-programs.js';
import type { Agents } from './fixtures/traces-app.js';
import { agentsApp, expectedSummaries, getJson, priced } from './fixtures/traces-app.js';

interface Sessions {
  sessions: Array<Record<string, unknown>>;
  nextCursor: string | null;
}

let agents: Agents;
t.before(async () => {
  agents = await agentsApp(t, 'traces-sessions');
});

const iso = (ms: number): string => new Date(T0 + ms).toISOString();

t.test('sessions: newest activity first, sums over their traces, keyset pages', async (t) => {
  const { status, body } = await getJson<Sessions>(agents.app, '/api/v1/projects/agents/sessions');
  t.equal(status, 200, JSON.stringify(body));
  t.same(body.sessions, [
    { sessionId: 'sess-2', traceCount: 1, firstTime: iso(120_000), lastTime: iso(120_800), inputTokens: 1200, outputTokens: 200, cost: priced('claude-3-5-sonnet', 800, 150) + 0.123, errorCount: 0 },
    { sessionId: 'conv-1', traceCount: 2, firstTime: iso(0), lastTime: iso(61_000), inputTokens: 4700, outputTokens: 600, cost: priced('gpt-4o', 4700, 600), errorCount: 1 },
  ]);
  t.equal(body.nextCursor, null);
  const first = await getJson<Sessions>(agents.app, '/api/v1/projects/agents/sessions?limit=1');
  t.same(first.body.sessions.map((s) => s.sessionId), ['sess-2']);
  const second = await getJson<Sessions>(agents.app, `/api/v1/projects/agents/sessions?limit=1&cursor=${first.body.nextCursor}`);
  t.same(second.body.sessions.map((s) => s.sessionId), ['conv-1']);
  t.equal(second.body.nextCursor, null);
  const ranged = await getJson<Sessions>(agents.app, `/api/v1/projects/agents/sessions?from=${iso(30_000)}&to=${iso(130_000)}`);
  t.same(
    ranged.body.sessions.map((s) => [s.sessionId, s.traceCount, s.inputTokens]),
    [
      ['sess-2', 1, 1200],
      ['conv-1', 1, 2000],
    ],
    'only traces starting in the range count',
  );
});

t.test('one session: its traces oldest first', async (t) => {
  const { status, body } = await getJson<{ sessionId: string; traces: unknown[]; truncated: boolean }>(agents.app, '/api/v1/projects/agents/sessions/conv-1');
  t.equal(status, 200);
  const [, , turn2, turn1] = expectedSummaries(agents);
  t.same(body, { sessionId: 'conv-1', traces: [turn1, turn2], truncated: false });
});

t.test('stats: per model, per span name, error rate, counts', async (t) => {
  const { status, body } = await getJson<Record<string, unknown>>(agents.app, '/api/v1/projects/agents/traces/stats');
  t.equal(status, 200, JSON.stringify(body));
  t.same(body, {
    byModel: [
      { model: 'gpt-4o-2024-08-06', spans: 3, inputTokens: 4700, outputTokens: 600, cost: priced('gpt-4o', 4700, 600) },
      { model: 'claude-3-5-sonnet-20241022', spans: 2, inputTokens: 1200, outputTokens: 200, cost: priced('claude-3-5-sonnet', 800, 150) + 0.123 },
      { model: 'gpt-3.5-turbo', spans: 1, inputTokens: 50, outputTokens: 20, cost: priced('gpt-3.5-turbo', 50, 20) },
    ],
    bySpanName: [
      { name: 'chat gpt-4o', count: 3, p50Ms: 90, p95Ms: 90, errorRate: 0 },
      { name: 'ChatAnthropic', count: 2, p50Ms: 290, p95Ms: 290, errorRate: 0 },
      { name: 'invoke_agent planner', count: 2, p50Ms: 1000, p95Ms: 1000, errorRate: 0 },
      { name: 'DocsAgent', count: 1, p50Ms: 800, p95Ms: 800, errorRate: 0 },
      { name: 'execute_tool get_weather', count: 1, p50Ms: 50, p95Ms: 50, errorRate: 1 },
      { name: 'openai.chat', count: 1, p50Ms: 40, p95Ms: 40, errorRate: 0 },
      { name: 'search_docs', count: 1, p50Ms: 90, p95Ms: 90, errorRate: 0 },
    ],
    errorRate: 1 / 11,
    traceCount: 4,
    spanCount: 11,
  });
  const run = await getJson<{ byModel: Array<{ model: string }>; spanCount: number; traceCount: number }>(agents.app, '/api/v1/projects/agents/traces/stats?runId=run-a');
  t.same([run.body.byModel.map((m) => m.model), run.body.spanCount, run.body.traceCount], [['gpt-4o-2024-08-06'], 6, 2]);
  const late = await getJson<{ spanCount: number; traceCount: number }>(agents.app, `/api/v1/projects/agents/traces/stats?from=${iso(100_000)}`);
  t.same([late.body.spanCount, late.body.traceCount], [5, 2]);
});

t.test('stats and sums agree with the per-trace summaries', async (t) => {
  const summaries = expectedSummaries(agents);
  const stats = await getJson<{ byModel: Array<{ inputTokens: number; outputTokens: number }> }>(agents.app, '/api/v1/projects/agents/traces/stats');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  t.equal(sum(stats.body.byModel.map((m) => m.inputTokens)), sum(summaries.map((s) => s.inputTokens)));
  t.equal(sum(stats.body.byModel.map((m) => m.outputTokens)), sum(summaries.map((s) => s.outputTokens)));
});
