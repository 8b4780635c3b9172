import t from 'tap';
import { migrate } from '../src/index.js';
import { assertRoundTrip, openTempClickHouse, readTable } from './fixtures/db.js';
import { logRows, spanRows } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

t.test('spans round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'spans', spanRows('run-spans'), 'run-spans');
  const [row] = await ch.query<{ d: string }>({
    sql: "SELECT duration_ns AS d FROM spans WHERE run_id = 'run-spans' AND span_id = 'b7ad6b7169203331'",
    tag: 'test.duration',
  });
  t.equal(row?.d, '1500000000', 'duration_ns is materialized from the timestamps');
});

t.test('logs round-trip every column', async (t) => {
  await assertRoundTrip(t, ch, 'logs', logRows('run-logs'), 'run-logs');
});

t.test('typed attribute maps are queryable by key', async (t) => {
  const rows = await ch.query<{ tokens: string; model: string; dup_int: string; dup_str: boolean }>({
    sql: `SELECT attributes_int['gen_ai.usage.input_tokens'] AS tokens, attributes_str['gen_ai.request.model'] AS model,
                 attributes_int['dup'] AS dup_int, mapContains(attributes_str, 'dup') AS dup_str
          FROM spans WHERE run_id = {run:String} AND span_id = {span:String}`,
    params: { run: 'run-spans', span: 'b7ad6b7169203331' },
    tag: 'test.attributes',
  });
  t.same(rows, [{ tokens: '1234', model: 'gpt-4o', dup_int: '42', dup_str: false }], 'last duplicate wins across types');
});

t.test('an empty insert is a no-op', async (t) => {
  await ch.insert('logs', []);
  t.same(await readTable(ch, 'logs', 'nobody'), []);
});

t.test('many rows with "\\n\\n" byte pairs all arrive (no inline-SQL truncation)', async (t) => {
  const [template] = spanRows('run-bulk');
  if (template === undefined) throw new Error('fixture');
  const rows = Array.from({ length: 5000 }, (_, i) => ({ ...template, spanId: `s${i}`, flags: 2570, statusMessage: '\n\n'.repeat(i % 3) }));
  await ch.insert('spans', rows);
  const [count] = await ch.query<{ n: string }>({ sql: "SELECT count() AS n FROM spans WHERE run_id = 'run-bulk'", tag: 'test.count' });
  t.equal(count?.n, '5000');
});

t.test('concurrent inserts all land', async (t) => {
  const batches = Array.from({ length: 8 }, (_, b) => logRows(`run-conc-${b}`));
  await Promise.all(batches.map((rows) => ch.insert('logs', rows)));
  const [count] = await ch.query<{ n: string }>({ sql: "SELECT count() AS n FROM logs WHERE startsWith(run_id, 'run-conc-')", tag: 'test.count' });
  t.equal(count?.n, String(8 * 3));
});

t.test('a row a column cannot hold fails the insert with table and row', async (t) => {
  const [good] = logRows('run-bad');
  if (good === undefined) throw new Error('fixture');
  await t.rejects(ch.insert('logs', [good, { ...good, severityNumber: 300 }]), /clickhouse insert logs \(2 rows\): encode logs row 1/);
  t.same(await readTable(ch, 'logs', 'run-bad'), [], 'nothing of the batch is stored');
});
