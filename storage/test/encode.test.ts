import t from 'tap';
import { RowBinaryWriter } from '../src/clickhouse/row-binary.js';
import { writeTypedMaps } from '../src/clickhouse/encode-blocks.js';
import { encodeRows } from '../src/index.js';
import type { MetricPointRow, TableName } from '../src/index.js';
import { attrs, expHistogramRows, histogramRows, logRows, metricPointRows, numberRows, RESOURCE, recordIdRows, runMirrorRows, spanRows, summaryRows } from './fixtures/rows.js';

const str = (s: string): number[] => [Buffer.byteLength(s), ...Buffer.from(s)];
const le64 = (v: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return [...b];
};
const f64 = (v: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...b];
};

t.test('attributes expand to five typed maps, last duplicate wins', async (t) => {
  const w = new RowBinaryWriter();
  writeTypedMaps(w, attrs([['a', 'x'], ['n', 7n], ['f', 0.5], ['b', true], ['j', { json: '[]' }], ['a', 1n]]));
  t.same(
    [...w.finish()],
    [
      0, // *_str: 'a' moved to *_int
      2, ...str('n'), ...le64(7n), ...str('a'), ...le64(1n), // *_int
      1, ...str('f'), ...f64(0.5), // *_float
      1, ...str('b'), 1, // *_bool
      1, ...str('j'), ...str('[]'), // *_json
    ],
  );
});

t.test('duplicate detection also holds for large attribute sets', async (t) => {
  const keys = Array.from({ length: 100 }, (_, i) => `k${i % 50}`);
  const w = new RowBinaryWriter();
  writeTypedMaps(w, { keys, values: keys.map((_, i) => BigInt(i)) });
  const out = w.finish();
  t.equal(out[0], 0, 'no strings');
  t.equal(out[1], 50, '50 distinct int keys');
  t.same([...out.subarray(2, 2 + 3 + 8)], [...str('k0'), ...le64(50n)], 'k0 keeps its last value');
});

t.test('unsupported attribute values and mismatched arrays are refused', async (t) => {
  const w = new RowBinaryWriter();
  t.throws(() => writeTypedMaps(w, { keys: ['a'], values: [] }), /1 keys but 0 values/);
  t.throws(() => writeTypedMaps(w, { keys: ['a'], values: [null as unknown as string] }), /attribute "a": unsupported value null/);
});

t.test('metric_points rows encode column by column', async (t) => {
  const row: MetricPointRow = { project: 'p', runId: 'r', key: 'loss', labels: '', step: 3n, time: 10n, value: NaN, source: 1 };
  t.same([...encodeRows('metric_points', [row])], [...str('p'), ...str('r'), ...str('loss'), 0, ...le64(3n), ...le64(10n), ...f64(NaN), 1]);
});

t.test('shared resource/scope blocks are encoded once and replayed identically', async (t) => {
  const rows = spanRows('r');
  const shared = encodeRows('spans', rows);
  const copies = encodeRows(
    'spans',
    rows.map((r) => ({ ...r, resource: { ...r.resource }, scope: { ...r.scope } })),
  );
  t.ok(rows[0]?.resource === RESOURCE && rows[2]?.resource === RESOURCE, 'fixture rows share one resource object');
  t.same(shared, copies);
});

t.test('every table encodes its fixture rows', async (t) => {
  const all: { [T in TableName]: () => number } = {
    spans: () => encodeRows('spans', spanRows('r')).length,
    logs: () => encodeRows('logs', logRows('r')).length,
    metric_points: () => encodeRows('metric_points', metricPointRows('r')).length,
    metrics_number: () => encodeRows('metrics_number', numberRows('r')).length,
    metrics_histogram: () => encodeRows('metrics_histogram', histogramRows('r')).length,
    metrics_exp_histogram: () => encodeRows('metrics_exp_histogram', expHistogramRows('r')).length,
    metrics_summary: () => encodeRows('metrics_summary', summaryRows('r')).length,
    runs: () => encodeRows('runs', runMirrorRows('r')).length,
    record_ids: () => encodeRows('record_ids', recordIdRows('r')).length,
  };
  for (const [table, encode] of Object.entries(all)) t.ok(encode() > 0, table);
  t.equal(encodeRows('logs', []).length, 0);
});

t.test('an encode error names the table and row', async (t) => {
  const [row] = metricPointRows('r');
  if (row === undefined) throw new Error('fixture');
  t.throws(() => encodeRows('metric_points', [row, { ...row, source: 256 as 1 }]), /encode metric_points row 1:/);
  t.throws(() => encodeRows('nope' as TableName, []), /unknown table "nope"/);
});
