/**
 * The run registry schema through the Postgres client, on PGlite and on the machine's server at once: a run
 * with a nested config, tags, timestamps and an artifact goes in and comes back value for value, the same
 * from both drivers; constraints, cascades, transactions, index use and failure reporting.
 */
import t from 'tap';
import type { Postgres } from '../src/index.js';
import { createPostgres, migratePostgres } from '../src/index.js';
import { openPostgresPair } from './fixtures/postgres.js';

const pair = await openPostgresPair(t);
const modes = ['embedded', 'server'] as const;
await Promise.all(modes.map((m) => migratePostgres(pair[m])));

const CONFIG = {
  model: { name: 'resnet-50', layers: [3, 4, 6, 3], dropout: 0.1, pretrained: true, head: null },
  optimizer: { name: 'adamw', lr: 0.00003, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0 },
  batch_size: 256,
  seed: -42,
  big: 9007199254740991,
  notes: 'ünïcode ✓ "quoted" \\ back\nslash',
  empty: { list: [], object: {}, string: '' },
};
const TAGS = ['baseline', 'gpu:a100', 'with space', 'ü', 'comma,inside', '{braces}', 'NULL'];
const SHA = 'ab'.repeat(32);

const RUN = {
  project: 'vision',
  id: 'run-0001',
  name: 'resnet baseline',
  run_group: 'sweep-7',
  status: 'finished',
  config: CONFIG,
  tags: TAGS,
  notes: null,
  created_at: '2026-01-02T03:04:05.123456Z',
  started_at: '2026-01-02T03:04:06.000001Z',
  ended_at: '2026-01-02T05:00:00.000000Z',
  last_seen_at: '2026-01-02T04:59:59.999000Z',
  exit_code: 0,
  host: { hostname: 'gpu-7', gpus: 8, cuda: '12.4' },
  // 0002: the first write's revision (int8 as text) and no summary overrides.
  revision: '1',
  summary: {},
};
const ARTIFACT = {
  project: 'vision',
  run_id: 'run-0001',
  path: 'checkpoints/epoch-90.pt',
  type: 'model',
  uri: 'file:///data/artifacts/vision/run-0001/checkpoints/epoch-90.pt',
  sha256: SHA,
  size_bytes: '9007199254740993',
  created_at: '2026-01-02T05:00:01.500000Z',
};

async function insertRun(pg: Postgres): Promise<void> {
  await pg.transaction(async (tx) => {
    await tx.query({ sql: 'INSERT INTO projects (name, created_at, updated_at) VALUES ($1, $2, $2)', params: ['vision', new Date('2026-01-01T00:00:00Z')], tag: 'test.project' });
    await tx.query({
      sql: `INSERT INTO runs (project, id, name, run_group, status, config, tags, notes, created_at, started_at, ended_at, last_seen_at, exit_code, host)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::text[], $8, $9, $10, $11, $12, $13, $14::jsonb)`,
      params: [
        RUN.project,
        RUN.id,
        RUN.name,
        RUN.run_group,
        RUN.status,
        JSON.stringify(RUN.config),
        RUN.tags,
        RUN.notes,
        RUN.created_at,
        new Date('2026-01-02T03:04:06.000Z'),
        RUN.ended_at,
        new Date(RUN.last_seen_at),
        RUN.exit_code,
        JSON.stringify(RUN.host),
      ],
      tag: 'test.run',
    });
    // started_at gets its last microsecond from text: Dates hold milliseconds only.
    await tx.query({ sql: 'UPDATE runs SET started_at = $1 WHERE project = $2 AND id = $3', params: [RUN.started_at, 'vision', 'run-0001'], tag: 'test.run.us' });
    await tx.query({
      sql: 'INSERT INTO artifacts (project, run_id, path, type, uri, sha256, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      params: [ARTIFACT.project, ARTIFACT.run_id, ARTIFACT.path, ARTIFACT.type, ARTIFACT.uri, ARTIFACT.sha256, 9007199254740993n, ARTIFACT.created_at],
      tag: 'test.artifact',
    });
  });
}

const read = async (pg: Postgres): Promise<Record<string, unknown>> => ({
  project: await pg.query({ sql: 'SELECT * FROM projects', tag: 'test.read.projects' }),
  runs: await pg.query({ sql: 'SELECT * FROM runs ORDER BY project, id', tag: 'test.read.runs' }),
  artifacts: await pg.query({ sql: 'SELECT * FROM artifacts ORDER BY path', tag: 'test.read.artifacts' }),
});

const results: Partial<Record<(typeof modes)[number], Record<string, unknown>>> = {};

for (const mode of modes) {
  const pg = pair[mode];

  t.test(`${mode}: a run and its artifact come back exactly`, async (t) => {
    await insertRun(pg);
    const got = await read(pg);
    t.strictSame(got.project, [{ name: 'vision', created_at: '2026-01-01T00:00:00.000000Z', updated_at: '2026-01-01T00:00:00.000000Z' }]);
    t.strictSame(got.runs, [RUN]);
    t.strictSame(got.artifacts, [ARTIFACT]);
    results[mode] = got;
  });

  t.test(`${mode}: filters on tags and config through the typed parameters`, async (t) => {
    const ids = async (where: string, params: Parameters<Postgres['query']>[0]['params']): Promise<unknown[]> =>
      (await pg.query<{ id: string }>({ sql: `SELECT id FROM runs WHERE ${where}`, params, tag: 'test.filter' })).map((r) => r.id);
    t.same(await ids('tags @> ARRAY[$1::text]', ['comma,inside']), ['run-0001']);
    t.same(await ids('tags && $1::text[]', [['nope', 'NULL']]), ['run-0001'], 'the tag "NULL" is a string, not a null');
    t.same(await ids('config @> $1::jsonb', [JSON.stringify({ optimizer: { name: 'adamw' } })]), ['run-0001']);
    t.same(await ids('(config #>> $1::text[])::numeric = $2::numeric', [['optimizer', 'lr'], 0.00003]), ['run-0001']);
    t.same(await ids('config @> $1::jsonb', [JSON.stringify({ optimizer: { name: "adamw' OR 1=1 --" } })]), []);
  });

  t.test(`${mode}: the run list, status and GIN queries can use their indexes`, async (t) => {
    const plan = async (sql: string, params: readonly string[]): Promise<string> =>
      pg.transaction(async (tx) => {
        await tx.query({ sql: 'SET LOCAL enable_seqscan = off', tag: 'test.plan.setting' });
        const rows = await tx.query<{ 'QUERY PLAN': string }>({ sql: `EXPLAIN ${sql}`, params, tag: 'test.plan' });
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    t.match(
      await plan('SELECT id FROM runs WHERE project = $1 AND (created_at < $2 OR (created_at = $2 AND id > $3)) ORDER BY created_at DESC, id LIMIT 50', [
        'vision',
        '2026-02-01T00:00:00Z',
        'x',
      ]),
      /runs_project_created/,
    );
    t.match(await plan('SELECT id FROM runs WHERE project = $1 AND status = $2 ORDER BY created_at DESC, id LIMIT 50', ['vision', 'failed']), /runs_project_status_created/);
    t.match(await plan('SELECT id FROM runs WHERE config @> $1::jsonb', ['{"seed": -42}']), /runs_config/);
    t.match(await plan('SELECT id FROM runs WHERE tags @> ARRAY[$1::text]', ['baseline']), /runs_tags/);
  });

  t.test(`${mode}: constraints reject bad rows, naming the statement and the SQLSTATE`, async (t) => {
    const insert = (status: string, config: string, tags: Array<string | null>): Promise<unknown> =>
      pg.query({ sql: 'INSERT INTO runs (project, id, status, config, tags) VALUES ($1, $2, $3, $4::jsonb, $5)', params: ['vision', 'bad', status, config, tags], tag: 'runs.insert' });
    await t.rejects(insert('paused', '{}', []), /^postgres query runs\.insert: .*runs_status_check.* \(SQLSTATE 23514\)$/);
    await t.rejects(insert('running', '[1, 2]', []), /runs_config_check.* \(SQLSTATE 23514\)/);
    await t.rejects(insert('running', '{}', ['ok', null]), /runs_tags_check.* \(SQLSTATE 23514\)/);
    await t.rejects(pg.query({ sql: 'INSERT INTO runs (project, id) VALUES ($1, $2)', params: ['no-such-project', 'r'], tag: 'runs.insert' }), /\(SQLSTATE 23503\)/);
    await t.rejects(
      pg.query({ sql: 'INSERT INTO artifacts (project, run_id, path, uri, sha256) VALUES ($1, $2, $3, $4, $5)', params: ['vision', 'run-0001', 'x', 'file:///x', 'ABC'], tag: 'artifacts.insert' }),
      /artifacts_sha256_check.* \(SQLSTATE 23514\)/,
    );
    await t.rejects(pg.query({ sql: 'SELECT $1::text', params: [{ a: 1 } as unknown as string], tag: 'runs.get' }), /postgres query runs\.get: parameter \$1 is object/);
    await t.rejects(pg.query({ sql: 'SELECT 1', tag: 'bad tag!' }), /invalid statement tag/);
  });

  t.test(`${mode}: a transaction that throws leaves nothing; a deleted run takes its artifacts`, async (t) => {
    const failure = pg.transaction(async (tx) => {
      await tx.query({ sql: 'INSERT INTO runs (project, id) VALUES ($1, $2)', params: ['vision', 'run-0002'], tag: 'test.tx' });
      throw new Error('changed my mind');
    });
    await t.rejects(failure, /changed my mind/);
    t.same(await pg.query({ sql: 'SELECT id FROM runs ORDER BY id', tag: 'test.ids' }), [{ id: 'run-0001' }]);
    const value = await pg.transaction(async (tx) => {
      await tx.query({ sql: 'INSERT INTO runs (project, id) VALUES ($1, $2)', params: ['vision', 'run-0002'], tag: 'test.tx' });
      return tx.query<{ n: string }>({ sql: 'SELECT count(*) AS n FROM runs', tag: 'test.count' });
    });
    t.same(value, [{ n: '2' }], 'count(*) is int8: a string');
    const [defaults] = await pg.query({ sql: 'SELECT status, config, tags, name, run_group FROM runs WHERE id = $1', params: ['run-0002'], tag: 'test.defaults' });
    t.strictSame(defaults, { status: 'running', config: {}, tags: [], name: null, run_group: null });
    await pg.query({ sql: 'DELETE FROM runs WHERE project = $1 AND id = $2', params: ['vision', 'run-0001'], tag: 'test.delete' });
    t.same(await pg.query({ sql: 'SELECT path FROM artifacts', tag: 'test.artifacts' }), []);
  });
}

t.test('both drivers returned identical values', async (t) => {
  t.ok(results.embedded !== undefined && results.server !== undefined);
  t.strictSame(results.embedded, results.server);
});

t.test('both sessions run with the same settings', async (t) => {
  const sql = "SELECT current_setting('TimeZone') AS tz, current_setting('DateStyle') AS ds, current_setting('IntervalStyle') AS iv";
  for (const mode of modes) {
    t.strictSame(await pair[mode].query({ sql, tag: 'test.settings' }), [{ tz: 'UTC', ds: 'ISO, MDY', iv: 'postgres' }], mode);
  }
});

t.test('kind and description', async (t) => {
  t.equal(pair.embedded.kind, 'embedded');
  t.match(pair.embedded.description, /^pglite .*mlrun-postgres-test-.*\/postgres$/);
  t.equal(pair.server.kind, 'server');
  t.equal(pair.server.description, `postgres://postgres@127.0.0.1:5432/${pair.database}`);
  t.same(await pair.embedded.ping(), { ok: true });
  t.same(await pair.server.ping(), { ok: true });
});

t.test('ping against a port nobody listens on reports the failure, without throwing', async (t) => {
  const pg = await createPostgres({ kind: 'server', url: 'postgres://postgres:hunter2@127.0.0.1:1/x' });
  t.teardown(() => pg.close());
  const result = await pg.ping();
  t.equal(result.ok, false);
  if (!result.ok) {
    t.equal(result.error.message, 'postgres ping failed for postgres://postgres:***@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1');
    t.notMatch(result.error.message, /hunter2/);
  }
  await t.rejects(pg.query({ sql: 'SELECT 1', tag: 'runs.list' }), /^postgres query runs\.list: connect ECONNREFUSED 127\.0\.0\.1:1$/);
});
