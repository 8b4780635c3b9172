/** Downsampled series on real embedded ClickHouse: exact raw points and buckets for known inputs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { ClickHouse, MetricPointRow } from '../src/index.js';
import { createClickHouse, migrate } from '../src/index.js';
import { readSeries } from '../src/clickhouse/queries/series.js';

const dir = mkdtempSync(join(tmpdir(), 'mlrun-series-'));
let ch: ClickHouse;
const T0 = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;

function point(runId: string, key: string, step: number, value: number, time: bigint, labels = ''): MetricPointRow {
  return { project: 'series', runId, key, labels, step: BigInt(step), time, value, source: 1 };
}

t.before(async () => {
  ch = await createClickHouse({ kind: 'embedded', dataDir: dir });
  await migrate(ch);
  const rows: MetricPointRow[] = [];
  // run-a/loss: steps 0..9, value = step, one point per 1 s; step 5 is NaN.
  for (let s = 0; s < 10; s++) rows.push(point('run-a', 'loss', s, s === 5 ? NaN : s, T0 + BigInt(s) * 1000n * MS));
  // run-a/acc: logged twice at step 3 — the later time wins for `last`.
  rows.push(point('run-a', 'acc', 3, 0.5, T0 + 3000n * MS), point('run-a', 'acc', 3, 0.75, T0 + 3500n * MS));
  // run-b/loss: steps 0..99 starting 60 s later, value = 100 - step; and a point without a step.
  for (let s = 0; s < 100; s++) rows.push(point('run-b', 'loss', s, 100 - s, T0 + 60_000n * MS + BigInt(s) * 100n * MS));
  rows.push(point('run-b', 'loss', -1, 42, T0 + 70_000n * MS));
  // gpu util with labels: two series under one key.
  rows.push(point('run-a', 'gpu', 1, 0.1, T0, 'gpu=0'), point('run-a', 'gpu', 1, 0.9, T0, 'gpu=1'));
  await ch.insert('metric_points', rows.slice(0, 60));
  await ch.insert('metric_points', rows.slice(60)); // two parts: reads must not depend on merges
});
t.teardown(async () => {
  await ch.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = { project: 'series', xAxis: 'step' as const, maxPoints: 1000 };

t.test('few points come back raw, exactly, ordered by x', async (t) => {
  const [series] = await readSeries(ch, { ...base, runIds: ['run-a'], keys: ['loss'] });
  t.match(series, { runId: 'run-a', key: 'loss', labels: '', mode: 'raw', total: 10 });
  t.same(
    series?.buckets.map((b) => b.x),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  t.ok(Number.isNaN(series?.buckets[5]?.last), 'a NaN point stays NaN');
  t.ok(Number.isNaN(series?.buckets[5]?.min), 'and has no min');
  t.same(series?.buckets[4], { x: 4, last: 4, min: 4, max: 4, count: 1 });
});

t.test('two points at one step: the later one is last, both count', async (t) => {
  const [series] = await readSeries(ch, { ...base, runIds: ['run-a'], keys: ['acc'] });
  t.same(series?.buckets, [{ x: 3, last: 0.75, min: 0.5, max: 0.75, count: 2 }]);
});

t.test('many points are bucketed to at most maxPoints, with exact last/min/max/count', async (t) => {
  const [series] = await readSeries(ch, { ...base, runIds: ['run-b'], keys: ['loss'], maxPoints: 10 });
  t.match(series, { mode: 'buckets', total: 100 });
  t.equal(series?.buckets.length, 10);
  // Extent 0..99 over 10 buckets: width 9.9, so bucket 0 holds steps 0..9 (values 100..91).
  t.same(series?.buckets[0], { x: 9, last: 91, min: 91, max: 100, count: 10 });
  t.same(series?.buckets.at(-1), { x: 99, last: 1, min: 1, max: 10, count: 10 });
  t.equal(
    series?.buckets.reduce((sum, b) => sum + b.count, 0),
    100,
    'every point is in exactly one bucket',
  );
});

t.test('NaN is ignored by min/max of a bucket and kept by last only when last', async (t) => {
  const [series] = await readSeries(ch, { ...base, runIds: ['run-a'], keys: ['loss'], maxPoints: 2 });
  // Extent 0..9, width 4.5: bucket 0 = steps 0..4, bucket 1 = steps 5..9 (5 is NaN).
  t.same(series?.buckets[0], { x: 4, last: 4, min: 0, max: 4, count: 5 });
  t.same(series?.buckets[1], { x: 9, last: 9, min: 6, max: 9, count: 5 });
});

t.test('zooming in re-buckets the range at finer resolution', async (t) => {
  const [series] = await readSeries(ch, { ...base, runIds: ['run-b'], keys: ['loss'], maxPoints: 10, xMin: 20, xMax: 29 });
  t.match(series, { mode: 'raw', total: 10 }, 'ten points in range fit in ten');
  t.same(
    series?.buckets.map((b) => [b.x, b.last]),
    Array.from({ length: 10 }, (_, i) => [20 + i, 80 - i]),
  );
  const [coarse] = await readSeries(ch, { ...base, runIds: ['run-b'], keys: ['loss'], maxPoints: 5, xMin: 20, xMax: 29 });
  t.equal(coarse?.buckets.length, 5);
  t.ok(
    coarse?.buckets.every((b) => b.x >= 20 && b.x <= 29),
    'buckets stay inside the range',
  );
});

t.test('points without a step are left off the step axis but charted against time', async (t) => {
  const [onSteps] = await readSeries(ch, { ...base, runIds: ['run-b'], keys: ['loss'] });
  t.equal(onSteps?.total, 100);
  const [onTime] = await readSeries(ch, { ...base, xAxis: 'time', runIds: ['run-b'], keys: ['loss'] });
  t.equal(onTime?.total, 101);
  t.equal(onTime?.buckets[0]?.x, Number((T0 + 60_000n * MS) / MS), 'time axis in Unix milliseconds');
});

t.test('relative time counts seconds from the run’s first point', async (t) => {
  const [series] = await readSeries(ch, { ...base, xAxis: 'relative_time', runIds: ['run-b'], keys: ['loss'] });
  t.equal(series?.buckets[0]?.x, 0);
  t.equal(series?.buckets[1]?.x, 0.1);
  t.equal(series?.buckets.at(-1)?.x, 10, 'the step-less point at +10 s');
});

t.test('runs × keys × label sets come back as separate series; unknown ones are absent', async (t) => {
  const all = await readSeries(ch, { ...base, runIds: ['run-a', 'run-b', 'nope'], keys: ['loss', 'gpu', 'missing'] });
  t.same(
    all.map((s) => [s.runId, s.key, s.labels, s.total]),
    [
      ['run-a', 'gpu', 'gpu=0', 1],
      ['run-a', 'gpu', 'gpu=1', 1],
      ['run-a', 'loss', '', 10],
      ['run-b', 'loss', '', 100],
    ],
  );
  t.same(await readSeries(ch, { ...base, runIds: [], keys: ['loss'] }), []);
});

/** What bucketing the points of one series by (x - origin) / width must give, computed in JS. */
function bruteForce(values: number[], from: number, to: number, origin: number, width: number) {
  const out = new Map<number, { x: number; last: number; min: number; max: number; count: number }>();
  for (let step = from; step <= to; step++) {
    const value = values[step] as number;
    const b = Math.floor((step - origin) / width);
    const cur = out.get(b) ?? { x: step, last: value, min: Infinity, max: -Infinity, count: 0 };
    cur.x = step;
    cur.last = value;
    if (!Number.isNaN(value)) {
      cur.min = Math.min(cur.min, value);
      cur.max = Math.max(cur.max, value);
    }
    cur.count++;
    out.set(b, cur);
  }
  return [...out.values()];
}

t.test('long series are bucketed from the step rollups, exactly', async (t) => {
  const values = Array.from({ length: 25_000 }, (_, step) => (step % 997 === 0 ? NaN : Math.sin(step / 100) * 10 + (step % 7)));
  const rows = values.map((value, step) => point('run-long', 'acc', step, value, T0 + BigInt(step) * MS));
  for (let i = 0; i < rows.length; i += 5_000) await ch.insert('metric_points', rows.slice(i, i + 5_000));
  const [full] = await readSeries(ch, { ...base, runIds: ['run-long'], keys: ['acc'], maxPoints: 100 });
  t.match(full, { mode: 'buckets', total: 25_000 });
  // 25,000 steps at maxPoints 100: rollup level 100, output buckets of 300 steps from step 0.
  t.same(full?.buckets, bruteForce(values, 0, 24_999, 0, 300));
  t.ok((full?.buckets.length ?? 0) <= 100);
  const [zoomed] = await readSeries(ch, { ...base, runIds: ['run-long'], keys: ['acc'], maxPoints: 100, xMin: 1_000, xMax: 20_999 });
  // 20,000 steps: level 100, buckets of 200 steps from step 1,000 (on the grid, so the edges are exact).
  t.same(zoomed?.buckets, bruteForce(values, 1_000, 20_999, 1_000, 200));
  // maxPoints × 100 steps plus the end point (10,001): still 100-step buckets, the end point's bucket
  // (snapped outward to the grid, 11,000-11,099) folded into the last one, rather than 200-step buckets at
  // half the resolution.
  const [edge] = await readSeries(ch, { ...base, runIds: ['run-long'], keys: ['acc'], maxPoints: 100, xMin: 1_000, xMax: 11_000 });
  t.equal(edge?.buckets.length, 100);
  t.same(edge?.buckets.slice(0, 99), bruteForce(values, 1_000, 10_899, 1_000, 100));
  t.same(edge?.buckets[99], bruteForce(values, 10_900, 11_099, 10_900, 200)[0]);
});
