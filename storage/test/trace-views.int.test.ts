/**
 * The trace views of clickhouse/0014–0017 under hostile numbers and shared traces:
 * - token counts and costs sent as text that reads as inf/nan, huge, negative or in MLflow JSON do not fail
 *   the insert (they did: toInt64(inf) threw and took every span of the batch with it) — the spans of the
 *   same insert all reach span_tree, the bad numbers read as unknown, the good ones are summed;
 * - a trace whose spans name two runs (and a root naming none) is found from each run, before and after
 *   merges; deleting one run deletes that trace whole and leaves the other run's own traces;
 * - a database that held traces before 0017 (migrated to 0016, then to the end) finds them by run;
 * - span_tree keeps the keys of long values, emptied (a node's kind reads the same keys as its detail);
 * - a trace whose spans name two conversations is a turn of both, before and after merges.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { SpanRow } from '../src/index.js';
import { CLICKHOUSE_MIGRATIONS_DIR, deleteRunTelemetry, listSessions, migrate, readSession, readTraceSummary, searchTraces } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';
import { attrs, spanRows } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
// The schema as it was before 0017 first: a trace stored then must still be found by its run after it.
const before0017 = mkdtempSync(join(tmpdir(), 'mlrun-migrations-'));
for (const file of readdirSync(CLICKHOUSE_MIGRATIONS_DIR).filter((f) => /^00(0\d|1[0-6])_/.test(f))) copyFileSync(join(CLICKHOUSE_MIGRATIONS_DIR, file), join(before0017, file));
const upTo16 = (await migrate(ch, { dir: before0017 })).map((m) => m.version);
rmSync(before0017, { recursive: true, force: true });

const [first] = spanRows('x');
if (first === undefined) throw new Error('fixture');
const template: SpanRow = first;
const T0 = Date.UTC(2026, 5, 1);
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

function span(project: string, trace: number, k: number, runId: string, attributes: SpanRow['attributes'], parent = ''): SpanRow {
  return {
    ...template,
    owner: { project, runId, serviceName: 'svc' },
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: `${trace.toString(16).padStart(12, '0')}${k.toString().padStart(4, '0')}`,
    parentSpanId: parent,
    startTime: ns(T0 + trace * 1000 + k),
    endTime: ns(T0 + trace * 1000 + k + 5),
    name: `op-${k}`,
    kind: 1,
    attributes,
    events: [],
    links: [],
  };
}

const old = span('upgrade', 9, 0, 'run-old', attrs([['session.id', 'conv-old']]));
await ch.insert('spans', [old]);
const then17 = (await migrate(ch)).map((m) => m.version);

const tokens = (input: string | bigint | number, output: string | bigint | number) =>
  attrs([
    ['gen_ai.operation.name', 'chat'],
    ['gen_ai.request.model', 'gpt-4o'],
    ['gen_ai.usage.input_tokens', input],
    ['gen_ai.usage.output_tokens', output],
  ]);

t.test('non-finite, huge and negative numbers: the insert succeeds and they read as unknown', async (t) => {
  const root = span('nums', 1, 0, '', attrs([['gen_ai.operation.name', 'invoke_agent']]));
  const child = (k: number, a: SpanRow['attributes']) => span('nums', 1, k, '', a, root.spanId);
  const rows = [
    root,
    child(1, tokens(100n, 10n)),
    child(2, tokens('inf', 'nan')),
    child(3, tokens('1e400', '-5')),
    child(4, tokens(1e300, Number.NaN)),
    child(5, tokens(-3n, '20')),
    child(6, attrs([['mlflow.spanType', '"CHAT_MODEL"'], ['mlflow.chat.tokenUsage', '{"input_tokens": "nan", "output_tokens": 1e400}']])),
    child(7, attrs([['openinference.span.kind', 'LLM'], ['llm.cost.total', 'inf'], ['llm.token_count.prompt', '7']])),
  ];
  await ch.insert('spans', rows);
  const tree = await ch.query<{ span_id: string; i: string | null; o: string | null; c: number | null }>({
    sql: `SELECT span_id, toString(input_tokens) AS i, toString(output_tokens) AS o, reported_cost AS c FROM span_tree
          WHERE project = 'nums' ORDER BY span_id`,
    tag: 'test.tree',
  });
  t.equal(tree.length, rows.length, 'every span of the insert reached span_tree');
  t.same(
    tree.map((r) => [r.i, r.o]),
    [
      [null, null],
      ['100', '10'],
      [null, null],
      [null, null],
      [null, null],
      [null, '20'],
      [null, null],
      ['7', null],
    ],
    'finite counts in [0, 2^53) are kept, everything else is unknown',
  );
  t.equal(tree[7]?.c, null, 'a cost of inf is no cost');
  const summary = await readTraceSummary(ch, 'nums', root.traceId);
  t.match(summary, { spanCount: 8, inputTokens: 107, outputTokens: 30 }, 'the sums take the good numbers only');
});

t.test('a trace shared by two runs is found from each, before and after merges; deleting a run deletes its traces whole', async (t) => {
  const root = span('shared', 2, 0, '', attrs([]));
  const a = span('shared', 2, 1, 'run-a', attrs([]), root.spanId);
  const b = span('shared', 2, 2, 'run-b', attrs([]), root.spanId);
  const own = span('shared', 3, 0, 'run-b', attrs([]));
  // Three inserts: the trace's rows stay apart in trace_summaries until a merge folds them.
  for (const block of [[root], [a, own], [b]]) await ch.insert('spans', block);
  const runTraces = async (runId: string) => (await searchTraces(ch, { project: 'shared', runId, filter: null, limit: 10 })).traces.map((s) => s.traceId);
  t.same(await runTraces('run-a'), [root.traceId]);
  t.same(await runTraces('run-b'), [own.traceId, root.traceId]);
  await ch.command({ sql: 'OPTIMIZE TABLE trace_summaries FINAL', tag: 'test.optimize' });
  t.same(await runTraces('run-a'), [root.traceId], 'run-a still finds the trace once its rows are merged into one');
  t.same(await runTraces('run-b'), [own.traceId, root.traceId]);

  await deleteRunTelemetry(ch, 'shared', 'run-a');
  t.equal(await readTraceSummary(ch, 'shared', root.traceId), null, 'the shared trace is gone');
  const left = await ch.query<{ table: string; n: string }>({
    sql: `SELECT * FROM (
            SELECT 'spans' AS table, toString(count()) AS n FROM spans WHERE project = 'shared' AND trace_id = {trace:String}
            UNION ALL SELECT 'span_tree' AS table, toString(count()) AS n FROM span_tree WHERE project = 'shared' AND trace_id = {trace:String})
          ORDER BY table`,
    params: { trace: root.traceId },
    tag: 'test.left',
  });
  t.same(left, [{ table: 'span_tree', n: '0' }, { table: 'spans', n: '0' }], 'its root (no run) and run-b span went with it');
  t.same(await runTraces('run-b'), [own.traceId], "run-b's own trace stays");
  t.match(await readTraceSummary(ch, 'shared', own.traceId), { spanCount: 1, runId: 'run-b' });
});

t.test('traces stored before 0017 are found by their run (run_ids from run_id)', async (t) => {
  t.equal(upTo16.length, 16, 'migrated to 0016 first');
  t.same(then17, [17], 'then 0017 on top');
  const page = await searchTraces(ch, { project: 'upgrade', runId: 'run-old', filter: null, limit: 10 });
  t.same(page.traces.map((s) => s.traceId), [old.traceId]);
  t.same((await listSessions(ch, { project: 'upgrade', limit: 10 })).sessions.map((s) => s.sessionId), ['conv-old'], 'and its session from session_id');
  await deleteRunTelemetry(ch, 'upgrade', 'run-old');
  t.equal(await readTraceSummary(ch, 'upgrade', old.traceId), null, 'and deleted with it');
});

t.test('span_tree keeps the keys of values over 256 characters, emptied', async (t) => {
  const long = 'x'.repeat(257);
  const row = span('slim', 4, 0, '', attrs([['gen_ai.prompt', long], ['gen_ai.system', 'openai'], ['short', 'y'.repeat(256)]]));
  await ch.insert('spans', [row]);
  const [tree] = await ch.query<{ str: Record<string, string> }>({ sql: "SELECT attributes_str AS str FROM span_tree WHERE project = 'slim'", tag: 'test.slim' });
  t.same(tree?.str, { 'gen_ai.prompt': '', 'gen_ai.system': 'openai', short: 'y'.repeat(256) });
});

t.test('a trace whose spans name two sessions is listed in both, before and after merges', async (t) => {
  const conv = (id: string) => attrs([['gen_ai.conversation.id', id]]);
  const root = span('convs', 5, 0, '', conv('conv-a'));
  const other = span('convs', 5, 1, '', conv('conv-b'), root.spanId);
  const alone = span('convs', 6, 0, '', conv('conv-b'));
  for (const block of [[root], [other, alone]]) await ch.insert('spans', block);
  const check = async (when: string) => {
    const { sessions } = await listSessions(ch, { project: 'convs', limit: 10 });
    t.same(sessions.map((s) => [s.sessionId, s.traceCount]).sort(), [['conv-a', 1], ['conv-b', 2]], `${when}: the list`);
    t.same((await readSession(ch, 'convs', 'conv-a')).traces.map((s) => s.traceId), [root.traceId], `${when}: conv-a`);
    t.same((await readSession(ch, 'convs', 'conv-b')).traces.map((s) => s.traceId), [root.traceId, alone.traceId], `${when}: conv-b, oldest first`);
  };
  await check('before merges');
  await ch.command({ sql: 'OPTIMIZE TABLE trace_summaries FINAL', tag: 'test.optimize' });
  await check('after OPTIMIZE FINAL');
});
