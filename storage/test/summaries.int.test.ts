import t from 'tap';
import type { MetricPointRow } from '../src/index.js';
import { MAX_SUMMARY_RUNS, migrate, readMetricKeys, readRunSummaries, readSummariesForRuns } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';
import type { PointSpec } from './fixtures/summaries.js';
import { bruteKeys, bruteSummaries, comparable, point, prng, T0 } from './fixtures/summaries.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

/** Inserts each batch separately: every insert is its own part of metric_points and of the summary tables. */
async function insertBatches(batches: ReadonlyArray<readonly PointSpec[]>): Promise<MetricPointRow[]> {
  const all: MetricPointRow[] = [];
  for (const batch of batches) {
    const rows = batch.map(point);
    await ch.insert('metric_points', rows);
    all.push(...rows);
  }
  return all;
}

async function summaryRows(project: string): Promise<number> {
  const [row] = await ch.query<{ n: string }>({ sql: 'SELECT count() AS n FROM metric_summaries WHERE project = {p:String}', params: { p: project }, tag: 'test.rows' });
  return Number(row?.n);
}

const one = async (project: string, runId: string, key = 'loss'): Promise<Record<string, string> | undefined> => {
  const found = (await readRunSummaries(ch, { project, runId })).find((s) => s.key === key);
  return found === undefined ? undefined : comparable(found);
};

t.test('last is by step, then time: steps out of order, across batches', async (t) => {
  const s = { project: 'p-order', runId: 'r1', key: 'loss' };
  await insertBatches([[{ ...s, step: 5, at: 1, value: 0.5 }], [{ ...s, step: 1, at: 900, value: 0.1 }, { ...s, step: 3, at: 500, value: 0.3 }]]);
  t.same(await one('p-order', 'r1'), {
    runId: 'r1', key: 'loss', labels: '', last: '0.5', min: '0.1', max: '0.5', count: '3', lastStep: '5',
    firstTime: String(T0 + 1n), lastTime: String(T0 + 900n),
  });
});

t.test('two points with the same step: the later time wins, whatever the insert order', async (t) => {
  const s = { project: 'p-same', runId: 'r1', key: 'acc' };
  await insertBatches([[{ ...s, step: 7, at: 20, value: 0.75 }], [{ ...s, step: 7, at: 10, value: 0.7 }], [{ ...s, step: 6, at: 30, value: 0.6 }]]);
  t.same(await one('p-same', 'r1', 'acc'), {
    runId: 'r1', key: 'acc', labels: '', last: '0.75', min: '0.6', max: '0.75', count: '3', lastStep: '7',
    firstTime: String(T0 + 10n), lastTime: String(T0 + 30n),
  });
});

t.test('no-step points (step -1) are last by time; a stepped point beats them', async (t) => {
  const s = { project: 'p-nostep', runId: 'r1' };
  await insertBatches([
    [{ ...s, key: 'gpu', step: -1, at: 300, value: 71 }, { ...s, key: 'gpu', step: -1, at: 100, value: 90 }],
    [{ ...s, key: 'gpu', step: -1, at: 200, value: 80 }],
    [{ ...s, key: 'mixed', step: -1, at: 999, value: 1 }, { ...s, key: 'mixed', step: 0, at: 5, value: 2 }],
  ]);
  const got = (await readRunSummaries(ch, { project: 'p-nostep', runId: 'r1' })).map(comparable);
  t.same(got.map((g) => [g.key, g.last, g.min, g.max, g.count, g.lastStep, g.lastTime]), [
    ['gpu', '71', '71', '90', '3', '-1', String(T0 + 300n)],
    ['mixed', '2', '1', '2', '2', '0', String(T0 + 999n)],
  ]);
});

t.test('the (step, time) order holds at the extremes: huge steps, times before 1970', async (t) => {
  const s = { project: 'p-extreme', runId: 'r1' };
  const before1970 = -T0 - 10n ** 18n; // 1938
  await insertBatches([
    [{ ...s, key: 'big', step: 2n ** 62n, at: before1970, value: 1 }, { ...s, key: 'big', step: 2n ** 62n - 1n, at: 10n ** 18n, value: 2 }],
    [{ ...s, key: 'big', step: -1, at: 2n * 10n ** 18n, value: 3 }],
    [{ ...s, key: 'old', step: -1, at: before1970, value: 4 }, { ...s, key: 'old', step: -1, at: before1970 - 1n, value: 5 }],
  ]);
  const got = (await readRunSummaries(ch, { project: 'p-extreme', runId: 'r1' })).map((g) => [g.key, g.last, g.lastStep, g.firstTime, g.lastTime]);
  t.same(got, [
    ['big', 1, 2n ** 62n, T0 + before1970, T0 + 2n * 10n ** 18n],
    ['old', 4, -1n, T0 + before1970 - 1n, T0 + before1970],
  ]);
});

t.test('NaN: last keeps it, min/max ignore it (NaN only when every point is NaN); ±Inf are values', async (t) => {
  const s = { project: 'p-nan', runId: 'r1' };
  await insertBatches([
    [{ ...s, key: 'a_nan_last', step: 1, at: 1, value: 2.5 }, { ...s, key: 'b_nan_first', step: 1, at: 1, value: NaN }],
    [{ ...s, key: 'a_nan_last', step: 2, at: 2, value: NaN }, { ...s, key: 'b_nan_first', step: 2, at: 2, value: -4 }],
    [{ ...s, key: 'b_nan_first', step: 3, at: 3, value: 8 }, { ...s, key: 'c_all_nan', step: 0, at: 1, value: NaN }],
    [{ ...s, key: 'c_all_nan', step: 1, at: 2, value: NaN }, { ...s, key: 'd_inf', step: 0, at: 1, value: -Infinity }],
    [{ ...s, key: 'd_inf', step: 1, at: 2, value: Infinity }, { ...s, key: 'd_inf', step: 2, at: 3, value: NaN }],
    [{ ...s, key: 'e_exact', step: 0, at: 1, value: 0.1 + 0.2 }, { ...s, key: 'e_exact', step: 1, at: 2, value: 5e-324 }],
    [{ ...s, key: 'e_exact', step: 2, at: 3, value: Number.MAX_VALUE }, { ...s, key: 'e_exact', step: 3, at: 4, value: -0.1 }],
  ]);
  const got = (await readRunSummaries(ch, { project: 'p-nan', runId: 'r1' })).map(comparable);
  t.same(got.map((g) => [g.key, g.last, g.min, g.max, g.count]), [
    ['a_nan_last', 'NaN', '2.5', '2.5', '2'],
    ['b_nan_first', '8', '-4', '8', '3'],
    ['c_all_nan', 'NaN', 'NaN', 'NaN', '2'],
    ['d_inf', 'NaN', '-Infinity', 'Infinity', '3'],
    ['e_exact', '-0.1', '-0.1', String(Number.MAX_VALUE), '4'],
  ]);
});

t.test('many small inserts: several parts per series, the same answer before and after merging', async (t) => {
  const batches = Array.from({ length: 25 }, (_, i) => [{ project: 'p-parts', runId: 'r1', key: 'loss', step: 24 - i, at: i, value: (i * 7) % 11 }]);
  const points = await insertBatches(batches);
  t.ok((await summaryRows('p-parts')) > 1, 'the series is still spread over several rows (parts)');
  const expected = bruteSummaries(points).map(comparable);
  t.same((await readRunSummaries(ch, { project: 'p-parts', runId: 'r1' })).map(comparable), expected);
  t.same(expected[0]?.last, '0', 'step 24 was inserted first, with value 0');
  await ch.command({ sql: 'OPTIMIZE TABLE metric_summaries FINAL', tag: 'test.optimize' });
  t.equal(await summaryRows('p-parts'), 1, 'merged into one row');
  t.same((await readRunSummaries(ch, { project: 'p-parts', runId: 'r1' })).map(comparable), expected);
});

t.test('several runs, keys and labels; readSummariesForRuns filters runs and keys', async (t) => {
  const p = 'p-multi';
  const points = await insertBatches([
    [
      { project: p, runId: 'r1', key: 'loss', step: 1, at: 1, value: 1 },
      { project: p, runId: 'r1', key: 'gpu.util', labels: 'gpu=0', step: -1, at: 1, value: 50 },
      { project: p, runId: 'r1', key: 'gpu.util', labels: 'gpu=1', step: -1, at: 1, value: 60 },
      { project: p, runId: 'r2', key: 'loss', step: 1, at: 2, value: 2 },
    ],
    [
      { project: p, runId: 'r2', key: 'acc', step: 4, at: 3, value: 0.9 },
      { project: p, runId: 'r3', key: 'loss', step: 9, at: 4, value: 3 },
      { project: 'p-other', runId: 'r1', key: 'loss', step: 1, at: 1, value: 99 },
      { project: p, runId: '', key: 'loss', step: -1, at: 5, value: 123 },
    ],
  ]);
  const mine = points.filter((x) => x.project === p);
  const all = await readSummariesForRuns(ch, { project: p, runIds: ['r2', 'r1', 'nope'] });
  t.same(all.map(comparable), bruteSummaries(mine.filter((x) => x.runId === 'r1' || x.runId === 'r2')).map(comparable));
  t.same(all.map((s) => `${s.runId}/${s.key}{${s.labels}}`), ['r1/gpu.util{gpu=0}', 'r1/gpu.util{gpu=1}', 'r1/loss{}', 'r2/acc{}', 'r2/loss{}']);
  const loss = await readSummariesForRuns(ch, { project: p, runIds: ['r1', 'r2', 'r3'], keys: ['loss'] });
  t.same(loss.map((s) => [s.runId, s.last, s.lastStep]), [['r1', 1, 1n], ['r2', 2, 1n], ['r3', 3, 9n]]);
  t.same(await readSummariesForRuns(ch, { project: p, runIds: [] }), []);
  t.same(await readSummariesForRuns(ch, { project: p, runIds: ['r1'], keys: [] }), []);
  await t.rejects(readSummariesForRuns(ch, { project: p, runIds: Array.from({ length: MAX_SUMMARY_RUNS + 1 }, (_, i) => `r${i}`) }), RangeError);
  t.same(await readRunSummaries(ch, { project: p, runId: '' }), [], 'run-less points are not summarised');
  t.same(await readRunSummaries(ch, { project: p, runId: 'nope' }), []);
});

t.test('key catalogue: per project (all runs) and per run', async (t) => {
  const p = 'p-keys';
  const points = await insertBatches([
    [
      { project: p, runId: 'r1', key: 'loss', step: 0, at: 10, value: 1 },
      { project: p, runId: 'r1', key: 'lr', step: 0, at: 11, value: 0.01 },
      { project: p, runId: 'r2', key: 'loss', step: 0, at: 5, value: 2 },
    ],
    [
      { project: p, runId: 'r2', key: 'loss', step: 1, at: 50, value: NaN },
      { project: p, runId: 'r2', key: 'gpu.util', labels: 'gpu=0', step: -1, at: 7, value: 40 },
      { project: p, runId: '', key: 'process.cpu', step: -1, at: 8, value: 1 },
      { project: 'p-keys-other', runId: 'r1', key: 'secret', step: 0, at: 1, value: 1 },
    ],
  ]);
  const projectKeys = await readMetricKeys(ch, { project: p });
  t.same(projectKeys.map(comparable), bruteKeys(points, p).map(comparable));
  t.same(projectKeys.map((k) => [k.key, k.labels, k.count, k.firstTime - T0, k.lastTime - T0]), [
    ['gpu.util', 'gpu=0', 1n, 7n, 7n],
    ['loss', '', 3n, 5n, 50n],
    ['lr', '', 1n, 11n, 11n],
  ]);
  const r2 = await readMetricKeys(ch, { project: p, runId: 'r2' });
  t.same(r2.map(comparable), bruteKeys(points, p, 'r2').map(comparable));
  t.same(r2.map((k) => k.key), ['gpu.util', 'loss']);
  t.same(await readMetricKeys(ch, { project: 'p-none' }), []);
});

t.test('random dataset: summaries and catalogues equal a brute-force pass over the raw points', async (t) => {
  const rand = prng(20261126);
  const p = 'p-random';
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-300, 1e300];
  const batches: PointSpec[][] = [];
  let at = 0;
  for (let b = 0; b < 12; b++) {
    const batch: PointSpec[] = [];
    for (let i = 0; i < 150; i++) {
      const value = rand() < 0.08 ? pick(specials) : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 4);
      batch.push({
        project: p,
        runId: pick(['run-a', 'run-b', 'run-c', 'run-d', 'run-e', '']),
        key: pick(['loss', 'acc', 'lr', 'eval/f1']),
        labels: pick(['', '', 'gpu=0', 'gpu=1']),
        step: rand() < 0.2 ? -1 : Math.floor(rand() * 40),
        at: at++ * 1000 + Math.floor(rand() * 1000) - 500_000 * (b % 3),
        value,
      });
    }
    batches.push(batch);
  }
  const points = await insertBatches(batches);
  const runIds = ['run-a', 'run-b', 'run-c', 'run-d', 'run-e'];
  const expected = bruteSummaries(points).map(comparable);
  t.equal(expected.length, 60, 'every run × key × labels combination occurs');
  t.same((await readSummariesForRuns(ch, { project: p, runIds })).map(comparable), expected);
  t.same((await readMetricKeys(ch, { project: p })).map(comparable), bruteKeys(points, p).map(comparable));
  for (const runId of runIds) {
    t.same((await readRunSummaries(ch, { project: p, runId })).map(comparable), expected.filter((s) => s.runId === runId), runId);
    t.same((await readMetricKeys(ch, { project: p, runId })).map(comparable), bruteKeys(points, p, runId).map(comparable), `${runId} keys`);
  }
});
