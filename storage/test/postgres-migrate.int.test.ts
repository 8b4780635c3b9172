/**
 * The Postgres migrator against both modes at once: PGlite in a temp dir and a fresh database on the
 * machine's server. Every case runs on each, with the same expectations.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Postgres } from '../src/index.js';
import { createPostgres, migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../src/index.js';
import { createServerDatabase, openPostgresPair, SERVER } from './fixtures/postgres.js';

const pair = await openPostgresPair(t);

/** A copy of the package migrations that a test may edit or extend. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-pg-migrations-'));
  cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const tables = async (pg: Postgres): Promise<string[]> =>
  (
    await pg.query<{ name: string }>({
      sql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\"",
      tag: 'test.tables',
    })
  ).map((r) => r.name);

const indexes = async (pg: Postgres): Promise<string[]> =>
  (
    await pg.query<{ name: string }>({
      sql: "SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname COLLATE \"C\"",
      tag: 'test.indexes',
    })
  ).map((r) => r.name);

const versions = async (pg: Postgres): Promise<number[]> =>
  (await pg.query<{ version: number }>({ sql: 'SELECT version FROM schema_migrations ORDER BY version', tag: 'test.versions' })).map((r) => r.version);

for (const mode of ['embedded', 'server'] as const) {
  const pg = pair[mode];

  t.test(`${mode}: a fresh database gets every migration, recorded with its checksum`, async (t) => {
    const lines: string[] = [];
    const applied = await migratePostgres(pg, { log: (m) => lines.push(m) });
    t.same(applied.map((m) => [m.version, m.name]), [
      [1, 'registry'],
      [2, 'run_revisions'],
    ]);
    t.match(applied[0]?.checksum, /^[0-9a-f]{64}$/);
    t.match(lines, [/^applied postgres migration 0001_registry\.sql in \d+ ms$/, /^applied postgres migration 0002_run_revisions\.sql in \d+ ms$/]);
    t.same(await tables(pg), ['artifacts', 'projects', 'run_tombstones', 'runs', 'schema_migrations']);
    t.same(await indexes(pg), [
      'artifacts_pkey',
      'projects_pkey',
      'run_tombstones_pkey',
      'runs_config',
      'runs_pkey',
      'runs_project_created',
      'runs_project_status_created',
      'runs_tags',
      'schema_migrations_pkey',
    ]);
    const ledger = await pg.query({ sql: 'SELECT version, name, checksum FROM schema_migrations', tag: 'test.ledger' });
    t.same(ledger, [
      { version: 1, name: 'registry', checksum: applied[0]?.checksum },
      { version: 2, name: 'run_revisions', checksum: applied[1]?.checksum },
    ]);
  });

  t.test(`${mode}: a second run applies nothing`, async (t) => {
    const lines: string[] = [];
    t.same(await migratePostgres(pg, { log: (m) => lines.push(m) }), []);
    t.same(lines, []);
    t.same(await versions(pg), [1, 2]);
  });

  t.test(`${mode}: an edited applied migration stops the migrator`, async (t) => {
    const dir = copyOfMigrations();
    appendFileSync(join(dir, '0001_registry.sql'), '\n-- an innocent-looking edit\n');
    await t.rejects(migratePostgres(pg, { dir }), /migration 0001_registry\.sql was changed after it was applied .*add a new numbered file instead/);
  });

  t.test(`${mode}: bad SQL fails with the file name and Postgres' message, and leaves nothing behind`, async (t) => {
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '0003_broken.sql'), 'CREATE TABLE half_done (x int);\n\nCREATE TABLE broken (x nosuchtype);\n');
    const err = await migratePostgres(pg, { dir }).catch((e: unknown) => e);
    t.type(err, Error);
    t.match((err as Error).message, /^migration 0003_broken\.sql failed: type "nosuchtype" does not exist \(SQLSTATE 42704\) at line 3, column 24$/);
    t.notOk((await tables(pg)).includes('half_done'), 'the file ran in one transaction');
    t.same(await versions(pg), [1, 2]);

    writeFileSync(join(dir, '0003_broken.sql'), 'CREATE TABLE fixed (x int);\n');
    t.same((await migratePostgres(pg, { dir })).map((m) => m.name), ['broken'], 'fixed before it was applied: runs');
    t.same(await versions(pg), [1, 2, 3]);
  });

  t.test(`${mode}: a database newer than the code is logged, not refused`, async (t) => {
    const lines: string[] = [];
    t.same(await migratePostgres(pg, { log: (m) => lines.push(m) }), []);
    t.match(lines, [/schema_migrations has version 3 \(broken\) that this build does not know/]);
  });

  t.test(`${mode}: a file with only comments is an error`, async (t) => {
    const dir = copyOfMigrations();
    writeFileSync(join(dir, '0003_broken.sql'), 'CREATE TABLE fixed (x int);\n');
    writeFileSync(join(dir, '0004_empty.sql'), '-- nothing yet;\n');
    await t.rejects(migratePostgres(pg, { dir }), /migration 0004_empty\.sql holds no statement/);
  });
}

t.test('server: concurrent migrators apply each file exactly once', async (t) => {
  const database = await createServerDatabase(t);
  const clients = await Promise.all([1, 2, 3].map(() => createPostgres({ kind: 'server', url: `${SERVER}/${database}` })));
  t.teardown(() => Promise.all(clients.map((c) => c.close())));
  const results = await Promise.all(clients.map((c) => migratePostgres(c)));
  // Each file is its own transaction under the lock, so which migrator applies which file may vary.
  t.same(results.flatMap((r) => r.map((m) => m.version)).sort(), [1, 2], 'every file applied by exactly one migrator');
  t.same(await versions(clients[0] as Postgres), [1, 2]);
});

t.test('server: an unreachable server fails the migrator with its address', async (t) => {
  const pg = await createPostgres({ kind: 'server', url: 'postgres://postgres@127.0.0.1:1/x', connectTimeoutMs: 2000 });
  t.teardown(() => pg.close());
  await t.rejects(migratePostgres(pg), /^postgres: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/x: connect ECONNREFUSED 127\.0\.0\.1:1$/);
});
