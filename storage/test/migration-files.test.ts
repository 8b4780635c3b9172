import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Test } from 'tap';
import { CLICKHOUSE_MIGRATIONS_DIR, loadMigrations, renderMigration, splitStatements } from '../src/migration-files.js';

function folder(t: Test, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('the package migrations load in order with checksums', async (t) => {
  const files = await loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
  t.same(files.map((f) => f.version), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
  t.same(files.map((f) => f.name), ['spans', 'logs', 'metric_points', 'metrics_number', 'metrics_histogram', 'metrics_exp_histogram', 'metrics_summary', 'metric_summaries', 'metric_keys', 'metric_rollups', 'runs', 'metric_summaries_by_key', 'record_ids', 'span_tree', 'trace_summaries', 'spans_attribute_values_index', 'trace_views_fixes']);
  for (const f of files) t.match(f.checksum, /^[0-9a-f]{64}$/, f.file);
});

t.test('misnamed, repeated and missing numbers are all reported at once', async (t) => {
  const dir = folder(t, { '0001_a.sql': 'SELECT 1', '0001_b.sql': 'SELECT 1', '0004_c.sql': 'SELECT 1', 'x.sql': 'SELECT 1', '.hidden': '' });
  const err = await loadMigrations(dir).catch((e: unknown) => e);
  t.type(err, Error);
  const message = (err as Error).message;
  t.match(message, `bad migrations folder ${dir}`);
  t.match(message, 'x.sql: not named NNNN_name.sql');
  t.match(message, '0001_b.sql: expected number 0002');
  t.match(message, '0004_c.sql: expected number 0003');
});

t.test('an empty or missing folder is an error', async (t) => {
  await t.rejects(loadMigrations(folder(t, {})), /no migration files/);
  await t.rejects(loadMigrations('/nonexistent/migrations'), /migrations folder \/nonexistent\/migrations cannot be read/);
});

t.test('tokens: defaults, values, unknown names and bad values', async (t) => {
  const file = { file: '0001_x.sql', sql: 'CREATE TABLE t {{on_cluster}} ENGINE = {{replicated}}MergeTree TTL d + {{ telemetry_ttl_days }}' };
  t.equal(renderMigration(file, {}), 'CREATE TABLE t  ENGINE = MergeTree TTL d + 30');
  t.equal(
    renderMigration(file, { on_cluster: "ON CLUSTER '{cluster}'", replicated: 'Replicated', telemetry_ttl_days: 7 }),
    "CREATE TABLE t ON CLUSTER '{cluster}' ENGINE = ReplicatedMergeTree TTL d + 7",
  );
  t.throws(() => renderMigration({ file: '0002_y.sql', sql: 'SELECT {{nope}}' }, {}), /0002_y.sql: unknown token \{\{nope\}\}/);
  t.throws(() => renderMigration(file, { telemetry_ttl_days: 0 }), /telemetry_ttl_days must be a positive integer/);
  t.throws(() => renderMigration(file, { replicated: 'Shared' }), /replicated must be '' or 'Replicated'/);
  t.equal(renderMigration({ file: 'f', sql: 'SELECT {p:String}' }, {}), 'SELECT {p:String}', 'query parameters are not tokens');
});

t.test('statements split on ; outside strings, identifiers and comments', async (t) => {
  const sql = `-- leading comment; not a statement
CREATE TABLE a (s String DEFAULT 'x;y', \`we;ird\` UInt8) ENGINE = Memory;
/* block; comment */
INSERT INTO a VALUES ('it\\'s;', 1), ('dou''bled;', 2);
-- trailing comment;
`;
  const parts = splitStatements(sql);
  t.equal(parts.length, 2);
  t.match(parts[0], /CREATE TABLE a \(s String DEFAULT 'x;y', `we;ird` UInt8\) ENGINE = Memory$/);
  t.match(parts[1], /INSERT INTO a VALUES \('it\\'s;', 1\), \('dou''bled;', 2\)$/);
  t.same(splitStatements('SELECT 1'), ['SELECT 1'], 'a final statement needs no ;');
  t.same(splitStatements('-- only a comment\n;;'), []);
  t.throws(() => splitStatements("SELECT 'open"), /unterminated ' quote/);
});
