import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLICKHOUSE_MIGRATIONS_DIR, migrate, TABLES } from '../src/index.js';
import { loadMigrations } from '../src/migration-files.js';
import { openTempClickHouse } from './fixtures/db.js';

const { ch } = await openTempClickHouse(t);

/** The package's own versions (1..N); the files these tests add are numbered right after them. */
const OWN = (await loadMigrations(CLICKHOUSE_MIGRATIONS_DIR)).map((f) => f.version);
const nth = (k: number): number => OWN.length + k;
const file = (k: number, name: string): string => `${String(nth(k)).padStart(4, '0')}_${name}.sql`;
const quoted = (k: number, name: string): string => file(k, name).replace('.', '\\.');
/** Tables and views the migrations create besides the insertable TABLES. */
const DERIVED = [
  'metric_keys',
  'metric_keys_mv',
  'metric_rollups',
  'metric_rollups_mv',
  'metric_summaries',
  'metric_summaries_mv',
  'span_tree',
  'span_tree_mv',
  'trace_summaries',
  'trace_summaries_mv',
];

/** A copy of the package migrations that a test may edit or extend. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-migrations-'));
  cpSync(CLICKHOUSE_MIGRATIONS_DIR, dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const versions = async (): Promise<number[]> =>
  (await ch.query<{ version: number }>({ sql: 'SELECT version FROM schema_migrations ORDER BY version', tag: 'test.versions' })).map((r) => r.version);

t.test('a fresh database gets every migration, in the mlrun database', async (t) => {
  const lines: string[] = [];
  const applied = await migrate(ch, { log: (m) => lines.push(m) });
  t.same(applied.map((m) => m.version), OWN);
  t.equal(lines.length, OWN.length);
  t.match(lines[0], /^applied migration 0001_spans\.sql in \d+ ms$/);
  const tables = await ch.query<{ name: string }>({
    sql: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
    params: { db: 'mlrun' },
    tag: 'test.tables',
  });
  t.same(tables.map((r) => r.name), [...Object.keys(TABLES), ...DERIVED, 'schema_migrations'].sort());
  const [ledger] = await ch.query<{ name: string; checksum: string }>({ sql: 'SELECT name, checksum FROM schema_migrations WHERE version = 1', tag: 'test.ledger' });
  t.same(ledger, { name: 'spans', checksum: applied[0]?.checksum });
  const [ddl] = await ch.query<{ statement: string }>({ sql: 'SHOW CREATE TABLE spans', tag: 'test.ddl' });
  t.match(ddl?.statement, "toIntervalDay(30)", 'default telemetry_ttl_days');
});

t.test('a second run applies nothing', async (t) => {
  t.same(await migrate(ch), []);
  t.same(await versions(), OWN);
});

t.test('an applied migration that was edited stops the migrator', async (t) => {
  const dir = copyOfMigrations();
  appendFileSync(join(dir, '0003_metric_points.sql'), '\n-- an innocent-looking edit\n');
  await t.rejects(migrate(ch, { dir }), /migration 0003_metric_points\.sql was changed after it was applied/);
});

t.test('bad SQL fails with the file name and the ClickHouse message, and is not recorded', async (t) => {
  const dir = copyOfMigrations();
  writeFileSync(join(dir, file(1, 'broken')), 'CREATE TABLE broken (id UInt64 ENGINE = MergeTree ORDER BY id');
  await t.rejects(migrate(ch, { dir }), new RegExp(`^migration ${quoted(1, 'broken')} failed: Syntax error`));
  t.same(await versions(), OWN);

  writeFileSync(join(dir, file(1, 'broken')), 'CREATE TABLE IF NOT EXISTS broken (id UInt64) ENGINE = MergeTree ORDER BY id');
  t.same((await migrate(ch, { dir })).map((m) => m.name), ['broken'], 'the fixed file applies');
});

t.test('multi-statement files, token values, and errors naming the statement', async (t) => {
  const dir = copyOfMigrations();
  writeFileSync(join(dir, file(1, 'broken')), 'CREATE TABLE IF NOT EXISTS broken (id UInt64) ENGINE = MergeTree ORDER BY id');
  writeFileSync(
    join(dir, file(2, 'multi')),
    `-- two tables; one file
CREATE TABLE IF NOT EXISTS m1 {{on_cluster}} (d DateTime, s String DEFAULT 'a;b') ENGINE = {{replicated}}MergeTree ORDER BY d TTL d + toIntervalDay({{telemetry_ttl_days}});
CREATE TABLE IF NOT EXISTS m2 (d DateTime) ENGINE = MergeTree ORDER BY d;
`,
  );
  writeFileSync(join(dir, file(3, 'fails_second')), 'CREATE TABLE IF NOT EXISTS m3 (d DateTime) ENGINE = Memory;\nSELECT * FROM no_such_table;');
  await t.rejects(migrate(ch, { dir, tokens: { telemetry_ttl_days: 7 } }), new RegExp(`^migration ${quoted(3, 'fails_second')} \\(statement 2\\) failed: .*no_such_table`));
  t.same(await versions(), [...OWN, nth(1), nth(2)]);
  const [ddl] = await ch.query<{ statement: string }>({ sql: 'SHOW CREATE TABLE m1', tag: 'test.ddl' });
  t.match(ddl?.statement, 'toIntervalDay(7)');
});

t.test('checksums of applied files are verified before any pending file runs', async (t) => {
  const dir = copyOfMigrations();
  writeFileSync(join(dir, file(1, 'broken')), 'CREATE TABLE IF NOT EXISTS broken (id UInt64) ENGINE = MergeTree ORDER BY id');
  writeFileSync(join(dir, file(2, 'multi')), 'SELECT 1');
  writeFileSync(join(dir, file(3, 'pending')), 'CREATE TABLE IF NOT EXISTS pending (d DateTime) ENGINE = Memory');
  await t.rejects(migrate(ch, { dir }), new RegExp(`migration ${quoted(2, 'multi')} was changed after it was applied`));
  const [exists] = await ch.query<{ n: string }>({ sql: "SELECT count() AS n FROM system.tables WHERE name = 'pending'", tag: 'test.pending' });
  t.equal(exists?.n, '0', 'the pending file did not run');
});

t.test('a database newer than the code is reported, not touched', async (t) => {
  const lines: string[] = [];
  t.same(await migrate(ch, { log: (m) => lines.push(m) }), []);
  t.match(lines, [new RegExp(`version ${nth(1)} \\(broken\\) that this build does not know`), new RegExp(`version ${nth(2)} \\(multi\\)`)]);
});

t.test('a token the migrator does not know fails with the file name', async (t) => {
  await ch.command({ sql: 'DROP TABLE schema_migrations', tag: 'test.reset' });
  const dir = copyOfMigrations();
  writeFileSync(join(dir, file(1, 'tokens')), 'CREATE TABLE IF NOT EXISTS x {{cluster}} (d DateTime) ENGINE = Memory');
  await t.rejects(migrate(ch, { dir }), new RegExp(`^migration ${quoted(1, 'tokens')} failed: ${quoted(1, 'tokens')}: unknown token \\{\\{cluster\\}\\}`));
  t.same(await versions(), OWN, 'the earlier files re-ran idempotently and were recorded');
});
