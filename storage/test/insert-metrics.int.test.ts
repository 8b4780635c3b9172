import t from 'tap';
import { migrate } from '../src/index.js';
import { assertRoundTrip, openTempClickHouse } from './fixtures/db.js';
import { expHistogramRows, histogramRows, metricPointRows, numberRows, runMirrorRows, summaryRows } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

t.test('metric_points round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'metric_points', metricPointRows('run-points'), 'run-points');
});

t.test('metrics_number round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'metrics_number', numberRows('run-number'), 'run-number');
});

t.test('metrics_histogram round-trip every column (absent sum/min/max stored as 0 + has_* false)', async (t) => {
  await assertRoundTrip(t, ch, 'metrics_histogram', histogramRows('run-hist'), 'run-hist');
});

t.test('metrics_exp_histogram round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'metrics_exp_histogram', expHistogramRows('run-exp'), 'run-exp');
});

t.test('metrics_summary round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'metrics_summary', summaryRows('run-summary'), 'run-summary');
});

t.test('runs (the registry mirror) round-trip every column: maps with NaN/-Inf, UInt64 revision, tombstones', async (t) => {
  await assertRoundTrip(t, ch, 'runs', runMirrorRows('run-mirror'), 'run-mirror');
});

t.test('a series reads back in step order with exact values', async (t) => {
  const rows = await ch.query<{ step: string; value: number | string }>({
    sql: "SELECT step, value FROM metric_points WHERE project = 'p' AND run_id = {run:String} AND key = 'loss' AND step >= 0 ORDER BY step",
    params: { run: 'run-points' },
    tag: 'test.series',
  });
  t.same(rows.map((r) => r.step), ['0', '1', '2', '3', '4', '5', '6', '7']);
  t.same(rows.map((r) => r.value), [0.25, 'nan', 'inf', '-inf', -0.1, Number.MAX_VALUE, 5e-324, 0]);
});
