import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createClickHouse, StatementTimeout } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';

const { ch, dataDir } = await openTempClickHouse(t);

t.test('embedded mode describes itself and pings', async (t) => {
  t.equal(ch.kind, 'embedded');
  t.equal(ch.database, 'mlrun');
  t.match(ch.description, `embedded chDB at ${dataDir}/clickhouse (database mlrun)`);
  t.same(await ch.ping(), { ok: true });
});

t.test('typed parameters round-trip exactly', async (t) => {
  const text = "it's \\ a\ttab\nnew\n\nline 'q' \"dq\" é 世界 🚀 \u0000";
  const [row] = await ch.query<Record<string, unknown>>({
    sql: `SELECT {s:String} AS s, {e:String} AS e, {min:Int64} AS min, {max:Int64} AS max, {u:UInt64} AS u,
                 {nan:Float64} AS nan, {inf:Float64} AS inf, {ninf:Float64} AS ninf, {f:Float64} AS f, {tiny:Float64} AS tiny,
                 {b:Bool} AS b, {n:UInt8} AS n, {arr:Array(String)} AS arr, {nums:Array(Float64)} AS nums, {ints:Array(Int64)} AS ints,
                 {ts:DateTime64(9)} AS ts`,
    params: {
      s: text,
      e: '',
      min: -(2n ** 63n),
      max: 2n ** 63n - 1n,
      u: 2n ** 64n - 1n,
      nan: NaN,
      inf: Infinity,
      ninf: -Infinity,
      f: 0.1,
      tiny: 5e-324,
      b: true,
      n: 200,
      arr: [text, '', "a'b"],
      nums: [1.5, -0.25],
      ints: [-(2n ** 63n), 2n ** 63n - 1n],
      ts: '1714566896.123456789',
    },
    tag: 'test.params',
  });
  t.same(row, {
    s: text,
    e: '',
    min: '-9223372036854775808',
    max: '9223372036854775807',
    u: '18446744073709551615',
    nan: 'nan',
    inf: 'inf',
    ninf: '-inf',
    f: 0.1,
    tiny: 5e-324,
    b: true,
    n: 200,
    arr: [text, '', "a'b"],
    nums: [1.5, -0.25],
    ints: ['-9223372036854775808', '9223372036854775807'],
    ts: '2024-05-01 12:34:56.123456789',
  });
});

t.test('errors carry the tag, the ClickHouse message and the cause', async (t) => {
  const err = await ch.query({ sql: 'SELECT * FROM no_such_table', tag: 'test.missing' }).catch((e: unknown) => e);
  t.type(err, Error);
  t.match((err as Error).message, /^clickhouse query test\.missing: .*no_such_table/);
  t.ok((err as Error).cause instanceof Error);
  await t.rejects(ch.command({ sql: 'CREATE TABLE broken (id UInt64', tag: 'test.bad-ddl' }), /^clickhouse command test\.bad-ddl: Syntax error/);
});

t.test('a statement past its timeoutS fails with StatementTimeout, and the client goes on', async (t) => {
  const started = performance.now();
  const slow = ch.query({ sql: 'SELECT sum(cityHash64(number)) AS s FROM numbers(1000000000000)', tag: 'test.slow', timeoutS: 0.3 });
  await t.rejects(slow, StatementTimeout);
  await slow.catch((error: unknown) => {
    t.match(error, { tag: 'test.slow', timeoutS: 0.3, message: /test\.slow: stopped after 0\.3 s/ });
  });
  t.ok(performance.now() - started < 20_000, 'stopped long before the sum could finish');
  t.same(await ch.query({ sql: 'SELECT 1 AS one', tag: 'test.after' }), [{ one: 1 }]);
  const [limit] = await ch.query<{ v: string }>({ sql: "SELECT getSetting('max_execution_time') AS v", tag: 'test.setting' });
  t.equal(String(limit?.v), '0', 'the limit bound that statement only (chDB keeps clickhouse_settings for the session)');
  await t.rejects(ch.query({ sql: 'SELECT nope', tag: 'test.other', timeoutS: 5 }), { message: /test\.other/ }, 'other errors stay errors');
  await t.resolves(ch.query({ sql: 'SELECT 1', tag: 'test.fast', timeoutS: 5 }));
});

t.test('USE mlrun persists across many concurrent statements', async (t) => {
  await ch.command({ sql: 'CREATE TABLE IF NOT EXISTS probe (n UInt32) ENGINE = MergeTree ORDER BY n', tag: 'test.probe' });
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? ch.query<{ db: string }>({ sql: 'SELECT currentDatabase() AS db', tag: 'test.db' })
        : ch.query<{ db: string }>({ sql: 'SELECT currentDatabase() AS db, {i:UInt32} AS i', params: { i }, tag: 'test.db' }),
    ),
  );
  t.same(new Set(results.map((r) => r[0]?.db)), new Set(['mlrun']));
  const [table] = await ch.query<{ database: string }>({ sql: "SELECT database FROM system.tables WHERE name = 'probe'", tag: 'test.where' });
  t.equal(table?.database, 'mlrun', 'unqualified DDL lands in mlrun');
});

t.test('a second data directory in the same process is refused with a clear message', async (t) => {
  t.teardown(() => rmSync(`${dataDir}-other`, { recursive: true, force: true }));
  await t.rejects(createClickHouse({ kind: 'embedded', dataDir: `${dataDir}-other` }), /embedded ClickHouse: cannot open .*-other\/clickhouse \(chDB binds one data directory per process.*only one active data directory per process/);
  t.same(await ch.ping(), { ok: true }, 'the open one still works');
});

t.test('close, reopen the same directory: data and database selection survive, stale ingest files go', async (t) => {
  await ch.command({ sql: 'INSERT INTO probe VALUES (7)', tag: 'test.insert' });
  await ch.close();
  const stale = join(dataDir, 'clickhouse-ingest', 'spans-1-1-deadbeef.rowbinary');
  writeFileSync(stale, 'left by a crash');
  const again = await createClickHouse({ kind: 'embedded', dataDir });
  t.notOk(existsSync(stale), 'an unacknowledged ingest file left by a crash is removed');
  t.teardown(() => again.close());
  t.same(await again.query({ sql: 'SELECT currentDatabase() AS db, sum(n) AS n FROM probe', tag: 'test.reopen' }), [{ db: 'mlrun', n: '7' }]);
});
