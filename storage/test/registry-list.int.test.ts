/**
 * The run list on the ClickHouse mirror: filters, sorts, summaries joined from metric points, read-time
 * crash status, and keyset pages that cover every run exactly once — also while runs are being added.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { ClickHouse, CursorValue, Filter, MetricPointRow, Postgres, RunEvent, RunListQuery, SortSpec } from '../src/index.js';
import { countRuns, createClickHouse, createPostgres, listRuns, MetricPointSource, migrate, migratePostgres, RunRegistryWriter } from '../src/index.js';
import { and, asc, cmp, config, desc, field, has, isIn, num, str, summary, dur, not } from './fixtures/filter-ast.js';

const dir = mkdtempSync(join(tmpdir(), 'mlrun-registry-list-'));
let pg: Postgres;
let ch: ClickHouse;
let writer: RunRegistryWriter;

const T0 = Date.UTC(2026, 10, 1);
const NOW = T0 + 3_600_000;
const CRASH_AFTER = 600_000;
const P = 'list';

function point(runId: string, key: string, step: number, value: number): MetricPointRow {
  return { project: P, runId, key, labels: '', step: BigInt(step), time: BigInt(T0 + step) * 1_000_000n, value, source: MetricPointSource.event };
}

/** 20 runs: r00…r19, created a minute apart, with configs of mixed types, tags, groups and statuses. */
async function seed(): Promise<void> {
  const events: RunEvent[] = [];
  const points: MetricPointRow[] = [];
  for (let i = 0; i < 20; i++) {
    const runId = `r${String(i).padStart(2, '0')}`;
    const created = T0 + i * 60_000;
    const lr: number | string | undefined = i % 5 === 0 ? undefined : i % 7 === 0 ? 'auto' : i / 1000;
    events.push({
      kind: 'start',
      project: P,
      runId,
      timeMs: created,
      name: i % 4 === 0 ? undefined : `run-${i}`,
      group: i % 3 === 0 ? 'g3' : undefined,
      tags: i % 2 === 0 ? ['even'] : ['odd'],
      config: { ...(lr === undefined ? {} : { lr }), layers: i % 4, opt: { name: i % 2 ? 'adam' : 'sgd' } },
    });
    // Every run is seen shortly after it starts; runs 0-9 end (10 s to 100 s later), 10-14 stay running and
    // are seen recently, 15-19 went silent more than the crash timeout ago.
    if (i < 10) events.push({ kind: 'end', project: P, runId, timeMs: created + (i + 1) * 10_000, status: i % 2 ? 'failed' : 'finished' });
    else if (i < 15) events.push({ kind: 'seen', project: P, runId, timeMs: NOW - 1_000 });
    if (i % 6 !== 5) points.push(point(runId, 'loss', 1, 10 - i / 2), point(runId, 'loss', 2, i === 8 ? Number.NaN : 5 - i / 4));
  }
  events.push({ kind: 'summary', project: P, runId: 'r03', timeMs: T0 + 3 * 60_000 + 1, values: { loss: { last: -1 } } });
  await writer.apply(events);
  await ch.insert('metric_points', points);
}

t.before(async () => {
  [pg, ch] = await Promise.all([createPostgres({ kind: 'embedded', dataDir: dir }), createClickHouse({ kind: 'embedded', dataDir: dir })]);
  await Promise.all([migratePostgres(pg), migrate(ch)]);
  writer = new RunRegistryWriter(pg, ch);
  await seed();
});
t.teardown(async () => {
  await Promise.all([pg.close(), ch.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const base = (filter: Filter = null, sort: SortSpec = []): RunListQuery => ({ project: P, filter, sort, limit: 1000, crashAfterMs: CRASH_AFTER, nowMs: NOW });
const ids = async (filter: Filter = null, sort: SortSpec = []): Promise<string[]> => (await listRuns(ch, base(filter, sort))).runs.map((r) => r.id);
const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `r${String(from + i).padStart(2, '0')}`);

t.test('newest first by default; fields read back', async (t) => {
  const page = await listRuns(ch, base());
  t.same(page.runs.map((r) => r.id), range(0, 20).reverse());
  t.equal(page.next, null, 'one page');
  const r1 = page.runs.find((r) => r.id === 'r01');
  t.match(r1, { name: 'run-1', group: null, status: 'failed', tags: ['odd'], createdMs: T0 + 60_000, durationMs: 20_000, exitCode: null });
  t.same(JSON.parse(r1?.config ?? ''), { lr: 0.001, layers: 1, opt: { name: 'adam' } });
  t.match(page.runs.find((r) => r.id === 'r12'), { status: 'running', durationMs: NOW - (T0 + 12 * 60_000), endedMs: null });
  t.match(page.runs.find((r) => r.id === 'r16'), { status: 'crashed', durationMs: 0 });
  t.equal(page.runs.find((r) => r.id === 'r00')?.name, '', 'no name: empty (the API shows the id)');
});

t.test('filters', async (t) => {
  t.same(await ids(and(cmp(config('lr'), '>=', num(0.01)), cmp(config('lr'), '<', num(0.015))), [asc(field('created'))]), ['r11', 'r12', 'r13'], 'r10 has no lr, r14 a string');
  t.same(await ids(cmp(config('lr'), '=', str('auto'))), ['r14', 'r07']);
  t.same(await ids(has('even'), [asc(field('created'))]), range(0, 20).filter((_, i) => i % 2 === 0));
  t.same(await ids(cmp(field('status'), '=', str('crashed')), [asc(field('created'))]), range(15, 20));
  t.same(await ids(isIn(field('status'), str('failed')), [asc(field('created'))]), ['r01', 'r03', 'r05', 'r07', 'r09']);
  t.same(await ids(cmp(field('duration'), '>', dur(80_000)), [asc(field('created'))]), ['r08', 'r09', ...range(10, 15)]);
  t.same(await ids(cmp(field('name'), '=', str('r04'))), ['r04'], 'an unnamed run is found by its id');
  t.same(await ids(cmp(field('group'), '=', str('g3')), [asc(field('created'))]), ['r00', 'r03', 'r06', 'r09', 'r12', 'r15', 'r18']);
  t.same(await ids(cmp(config('opt', 'name'), '=', str('adam')), [asc(field('created'))]), range(0, 20).filter((_, i) => i % 2 === 1));
  t.same(await ids(cmp(summary('loss', 'last'), '<', num(0))), ['r03'], 'the override');
  t.same(await ids(cmp(summary('loss', 'last'), '<', num(1)), [asc(field('created'))]), ['r03', 'r18', 'r19']);
  t.same(await ids(not(cmp(summary('loss', 'count'), '>=', num(1))), [asc(field('created'))]), ['r05', 'r11', 'r17']);
  t.equal(await countRuns(ch, base(has('odd'))), 10);
  t.equal(await countRuns(ch, base()), 20);
});

t.test('a first page can count its matches in the same statement; later pages cannot', async (t) => {
  for (const filter of [null, has('odd'), cmp(summary('loss', 'last'), '<', num(1)), cmp(field('name'), '=', str('nothing'))]) {
    const first = await listRuns(ch, { ...base(filter, [asc(summary('loss', 'last'))]), limit: 2, withTotal: true });
    t.equal(first.total, await countRuns(ch, base(filter)), `total of ${JSON.stringify(filter)}`);
  }
  const first = await listRuns(ch, { ...base(), limit: 2, withTotal: true });
  const second = await listRuns(ch, { ...base(), limit: 2, withTotal: true, after: first.next ?? undefined });
  t.equal(second.total, null, 'after a cursor the page sees only the rows past it: no total');
  t.equal((await listRuns(ch, { ...base(), limit: 2 })).total, null, 'not asked: null');
});

t.test('summaries: overrides win, NaN counts as missing', async (t) => {
  // last = 5 - i/4 (decreasing in i), except r03 (override -1); r08's last point is NaN and r05, r11,
  // r17 have no points: all four missing, sorted last by id.
  const withValues = range(0, 20).filter((id) => !['r03', 'r05', 'r08', 'r11', 'r17'].includes(id));
  t.same(await ids(null, [asc(summary('loss', 'last'))]), ['r03', ...withValues.reverse(), 'r05', 'r08', 'r11', 'r17']);
  const min = await ids(cmp(summary('loss', 'min'), '=', num(10 - 8 / 2)));
  t.same(min, ['r08'], 'min ignores the NaN point');
});

/** Walks every page of size `limit`, checking the cursor round trip through JSON. */
async function walk(query: RunListQuery, limit: number, between?: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let after: readonly CursorValue[] | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await listRuns(ch, { ...query, limit, after });
    seen.push(...result.runs.map((r) => r.id));
    if (result.next === null) return seen;
    after = JSON.parse(JSON.stringify(result.next)) as CursorValue[];
    await between?.(page);
  }
  throw new Error('no last page after 100 pages');
}

t.test('keyset pages cover every run exactly once, for every sort', async (t) => {
  const sorts: SortSpec[] = [
    [],
    [asc(config('lr'))],
    [desc(config('lr')), asc(field('name'))],
    [asc(summary('loss', 'last'))],
    [desc(summary('loss', 'max'))],
    [asc(field('group')), desc(field('duration'))],
    [desc(field('status')), asc(config('opt', 'name')), desc(config('layers'))],
  ];
  for (const sort of sorts) {
    const all = await ids(null, sort);
    for (const limit of [1, 3, 7]) t.same(await walk(base(null, sort), limit), all, `sort ${JSON.stringify(sort.map((k) => [k.field, k.direction]))}, pages of ${limit}`);
  }
  t.same(await walk(base(has('even'), [asc(config('lr'))]), 2), await ids(has('even'), [asc(config('lr'))]), 'with a filter');
});

t.test('pages stay stable while runs are added', async (t) => {
  const before = await ids();
  const added: string[] = [];
  const walked = await walk(base(), 4, async (page) => {
    const runId = `new-${page}`;
    added.push(runId);
    await writer.apply([{ kind: 'start', project: P, runId, timeMs: NOW + page }]);
  });
  t.same(walked, before, 'newer runs land before the cursor: the walk sees exactly the runs that existed');
  t.same((await ids()).slice(0, added.length), [...added].reverse(), 'and the next first page shows them');
});

t.test('a cursor of another shape is a RangeError', async (t) => {
  await t.rejects(listRuns(ch, { ...base(), after: ['x'] }), RangeError);
  await t.rejects(listRuns(ch, { ...base(), after: [1, 2] }), RangeError);
});
