/**
 * Trace search against an in-process oracle: 120 traces spread irregularly over 60 days, spans with and
 * without the attribute a filter looks for, inserted in several blocks (a trace's spans split between
 * them). Every page sequence, with every filter, time range and page size, must equal the brute-force
 * answer (matching traces by start descending, then trace id), each trace once — through the time
 * windows a span-level search reads (1 h, 24 h, 30 days back from the anchor) and across their edges. Also:
 * the summaries after OPTIMIZE … FINAL are the same, and deleting a run removes its tree and summary rows.
 */
import t from 'tap';
import type { Expr, SpanRow, TraceCursor, TraceSearch } from '../src/index.js';
import { deleteRunTelemetry, migrate, readTraceSummary, searchTraces } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';
import { cmp, str } from './fixtures/filter-ast.js';
import { spanRows } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

const [first] = spanRows('x');
if (first === undefined) throw new Error('fixture');
const template: SpanRow = first;
const T0 = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;

interface Oracle {
  readonly traceId: string;
  readonly startMs: number;
  readonly red: boolean;
  readonly service: string;
}

let seed = 7;
const rand = (): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
const attrs = (o: Record<string, string>) => ({ keys: Object.keys(o), values: Object.values(o) });

function traceRows(i: number, startMs: number, red: boolean, service: string): SpanRow[] {
  const traceId = i.toString(16).padStart(32, '0');
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const span = (k: number, parent: string, color: string): SpanRow => ({
    ...template,
    owner: { project: 'search', runId: i % 10 === 0 ? 'run-del' : '', serviceName: service },
    traceId,
    spanId: `${i.toString(16).padStart(12, '0')}000${k}`,
    parentSpanId: parent,
    startTime: ns(startMs + k * 10),
    endTime: ns(startMs + k * 10 + 5),
    name: `op-${k}`,
    attributes: attrs(color === '' ? {} : { color }),
    events: [],
    links: [],
  });
  const root = span(0, '', 'blue');
  return [root, span(1, root.spanId, red ? 'red' : 'green'), span(2, root.spanId, '')];
}

const oracle: Oracle[] = [];
const blocks: SpanRow[][] = [[], [], []];
for (let i = 1; i <= 120; i++) {
  // Clusters: many traces in the newest hours, then sparse ones back to 60 days.
  const back = i <= 60 ? rand() * 6 * HOUR : rand() * 60 * 24 * HOUR;
  const startMs = T0 - Math.round(back);
  const red = rand() < 0.3;
  const service = i % 3 === 0 ? 'svc-b' : 'svc-a';
  oracle.push({ traceId: i.toString(16).padStart(32, '0'), startMs, red, service });
  traceRows(i, startMs, red, service).forEach((row, k) => blocks[(i + k) % 3]?.push(row));
}
for (const block of blocks) await ch.insert('spans', block);

const RED: Expr = cmp({ kind: 'attr', key: 'color', span: { start: 0, end: 0 } }, '=', str('red'));
const order = (a: Oracle, b: Oracle) => b.startMs - a.startMs || (a.traceId < b.traceId ? -1 : 1);

async function pages(q: Omit<TraceSearch, 'project' | 'after'>): Promise<string[]> {
  const ids: string[] = [];
  let after: TraceCursor | undefined;
  for (let n = 0; n < 200; n++) {
    const page = await searchTraces(ch, { ...q, project: 'search', after });
    ids.push(...page.traces.map((s) => s.traceId));
    if (page.next === null) return ids;
    after = page.next;
  }
  throw new Error('no last page');
}

t.test('every page sequence equals the brute-force answer', async (t) => {
  const cases: Array<[string, Omit<TraceSearch, 'project' | 'after'>, (o: Oracle) => boolean]> = [
    ['red, pages of 7', { filter: RED, limit: 7 }, (o) => o.red],
    ['red, pages of 1', { filter: RED, limit: 1 }, (o) => o.red],
    ['red, one page of 500', { filter: RED, limit: 500 }, (o) => o.red],
    ['no filter, pages of 9', { filter: null, limit: 9 }, () => true],
    ['service svc-b, pages of 4', { filter: null, service: 'svc-b', limit: 4 }, (o) => o.service === 'svc-b'],
    ['name op-1 and red, pages of 3', { filter: RED, name: 'op-1', limit: 3 }, (o) => o.red],
    ['red from 10 days back', { filter: RED, limit: 5, fromMs: T0 - 240 * HOUR }, (o) => o.red && o.startMs >= T0 - 240 * HOUR],
    ['red until 3 hours back', { filter: RED, limit: 5, toMs: T0 - 3 * HOUR }, (o) => o.red && o.startMs < T0 - 3 * HOUR],
    ['red in a 30-day band', { filter: RED, limit: 4, fromMs: T0 - 40 * 24 * HOUR, toMs: T0 - 10 * 24 * HOUR }, (o) => o.red && o.startMs >= T0 - 40 * 24 * HOUR && o.startMs < T0 - 10 * 24 * HOUR],
  ];
  for (const [name, q, keep] of cases) {
    const expected = oracle.filter(keep).sort(order).map((o) => o.traceId);
    t.ok(expected.length > 0, `${name}: the case selects something`);
    t.same(await pages(q), expected, name);
  }
});

t.test('summaries are exact before and after merges; deleting a run removes its rows', async (t) => {
  const id = oracle[9]?.traceId ?? '';
  const before = await readTraceSummary(ch, 'search', id);
  t.match(before, { spanCount: 3, rootName: 'op-0', runId: 'run-del' });
  await ch.command({ sql: 'OPTIMIZE TABLE trace_summaries FINAL', tag: 'test.optimize' });
  t.same(await readTraceSummary(ch, 'search', id), before, 'the same after OPTIMIZE FINAL');
  await deleteRunTelemetry(ch, 'search', 'run-del');
  t.equal(await readTraceSummary(ch, 'search', id), null, "the run's traces are gone from the summaries");
  const [tree] = await ch.query<{ n: string }>({ sql: "SELECT count() AS n FROM span_tree WHERE project = 'search' AND run_id = 'run-del'", tag: 'test.tree' });
  t.equal(tree?.n, '0');
  const remaining = await pages({ filter: null, limit: 50 });
  t.equal(remaining.length, 108, 'the other traces stay');
});
