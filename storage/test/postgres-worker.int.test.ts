/**
 * Embedded Postgres on its worker thread (the default) against PGlite on the test's own thread
 * (`inProcess: true`): the same values for every type the parsers handle, transactions that span
 * messages, plain statements waiting behind an open transaction, errors that keep their SQLSTATE, a main
 * event loop that keeps running during a heavy statement, a worker that dies, close, and a process that
 * exits by itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Postgres } from '../src/index.js';
import { createPostgres } from '../src/index.js';
import { openWorker } from '../src/postgres/worker-backend.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-pglite-worker-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(inProcess: boolean, dataDir = tempDir()): Promise<Postgres> {
  const pg = await createPostgres({ kind: 'embedded', dataDir, inProcess });
  t.teardown(() => pg.close());
  return pg;
}

const [worker, local] = await Promise.all([open(false), open(true)]);
const both = [
  ['worker', worker],
  ['in-process', local],
] as const;

// Every type of ./src/postgres/types.ts, NULLs, and values a careless copy would lose: -0, NaN, int8 past
// 2^53, an own "__proto__" key in JSON, NULL array elements, escapes in strings and arrays.
const TYPES_SQL = `SELECT
  9007199254740993::int8 AS int8, (-2)::int2 AS int2, 2147483647::int4 AS int4, 1.5::float8 AS float8,
  'NaN'::float8 AS nan, '-Infinity'::float8 AS neg_inf, '-0'::float8 AS neg_zero, 0.1::float4 AS float4,
  12345678901234567890.123456789::numeric AS numeric, true AS bool, 42::oid AS oid,
  '2026-01-02 03:04:05.123456+02'::timestamptz AS timestamptz, '2026-01-02 03:04:05'::timestamp AS timestamp,
  'infinity'::timestamptz AS ts_infinity, '2026-01-02'::date AS date,
  '{"b": {"x": [1, null, "s"]}, "a": 1.5, "__proto__": {"polluted": true}}'::jsonb AS jsonb,
  '[1, {"k": "v"}]'::json AS json, '[{"k": "v"}, 2]'::jsonb AS jsonb_array,
  ARRAY['a', NULL, 'with space', 'comma,inside', '"quoted"', 'back\\slash', 'NULL']::text[] AS text_array,
  ARRAY[1, NULL, 9007199254740993]::int8[] AS int8_array,
  ARRAY['2026-01-02 03:04:05Z', NULL]::timestamptz[] AS timestamptz_array,
  ARRAY['{"a": 1}', '[]']::jsonb[] AS jsonb_array_of,
  '\\x00ff10'::bytea AS bytea, '1 day 02:03:04'::interval AS interval,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uuid,
  NULL::text AS null_text, NULL::int8 AS null_int8, NULL::jsonb AS null_jsonb, NULL::timestamptz AS null_timestamptz,
  E'ünïcode ✓ "q" \\\\ \\n' AS text, '' AS empty`;

const EXPECTED = {
  int8: '9007199254740993',
  int2: -2,
  int4: 2147483647,
  float8: 1.5,
  nan: NaN,
  neg_inf: -Infinity,
  neg_zero: -0,
  float4: 0.1,
  numeric: '12345678901234567890.123456789',
  bool: true,
  oid: 42,
  timestamptz: '2026-01-02T01:04:05.123456Z',
  timestamp: '2026-01-02T03:04:05.000000',
  ts_infinity: 'infinity',
  date: '2026-01-02',
  jsonb: JSON.parse('{"a": 1.5, "b": {"x": [1, null, "s"]}, "__proto__": {"polluted": true}}') as unknown,
  json: [1, { k: 'v' }],
  jsonb_array: [{ k: 'v' }, 2],
  text_array: ['a', null, 'with space', 'comma,inside', '"quoted"', 'back\\slash', 'NULL'],
  int8_array: ['1', null, '9007199254740993'],
  timestamptz_array: ['2026-01-02T03:04:05.000000Z', null],
  jsonb_array_of: [{ a: 1 }, []],
  bytea: '\\x00ff10',
  interval: '1 day 02:03:04',
  uuid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  null_text: null,
  null_int8: null,
  null_jsonb: null,
  null_timestamptz: null,
  text: 'ünïcode ✓ "q" \\ \n',
  empty: '',
};

const PARAMS_SQL = `SELECT $1::int8 AS int8, $2::timestamptz AS timestamptz, $3::jsonb AS jsonb, $4::text[] AS text_array,
  $5::bytea AS bytea, $6::text AS null_text, $7::float8 AS nan, $8::bool AS bool, $9::int8[] AS int8_array`;
const PARAMS = [
  9007199254740993n,
  new Date('2026-01-02T03:04:05.678Z'),
  JSON.stringify({ nested: { list: [1, 'two', null] } }),
  ['x', null, 'y z'],
  '\\x0102ff',
  null,
  NaN,
  true,
  [1n, null, -9007199254740993n],
];

t.test('every type comes back the same from the worker as from PGlite in-process', async (t) => {
  const [fromWorker] = await worker.query({ sql: TYPES_SQL, tag: 'test.types' });
  const [fromLocal] = await local.query({ sql: TYPES_SQL, tag: 'test.types' });
  t.strictSame(fromWorker, EXPECTED);
  t.strictSame(fromWorker, fromLocal);
  t.same(Object.keys(fromWorker ?? {}), Object.keys(EXPECTED), 'columns in statement order');
  t.ok(Object.is(fromWorker?.neg_zero, -0), '-0 stays -0');
  const json = fromWorker?.jsonb as Record<string, unknown>;
  t.equal(Object.getPrototypeOf(json), Object.prototype, 'a plain object');
  t.ok(Object.hasOwn(json, '__proto__'), 'a "__proto__" key stays an own key');
  t.notOk('polluted' in json, 'and does not become the prototype');

  const [paramsWorker] = await worker.query({ sql: PARAMS_SQL, params: PARAMS, tag: 'test.params' });
  const [paramsLocal] = await local.query({ sql: PARAMS_SQL, params: PARAMS, tag: 'test.params' });
  t.strictSame(paramsWorker, {
    int8: '9007199254740993',
    timestamptz: '2026-01-02T03:04:05.678000Z',
    jsonb: { nested: { list: [1, 'two', null] } },
    text_array: ['x', null, 'y z'],
    bytea: '\\x0102ff',
    null_text: null,
    nan: NaN,
    bool: true,
    int8_array: ['1', null, '-9007199254740993'],
  });
  t.strictSame(paramsWorker, paramsLocal);
});

t.test('several statements without parameters return the rows of the last one, the same on both', async (t) => {
  const sql = `CREATE TABLE multi (id int, tags text[]);
    INSERT INTO multi VALUES (1, ARRAY['a']), (2, NULL);
    SELECT id, tags FROM multi ORDER BY id;
    SET application_name TO 'still the rows above'`;
  const expected = [
    { id: 1, tags: ['a'] },
    { id: 2, tags: null },
  ];
  for (const [name, pg] of both) t.strictSame(await pg.query({ sql, tag: 'test.multi' }), expected, name);
});

await worker.query({ sql: 'CREATE TABLE items (id text PRIMARY KEY, n int8 NOT NULL DEFAULT 0)', tag: 'test.items' });
const count = async (id: string): Promise<unknown> => worker.query({ sql: 'SELECT count(*) AS n FROM items WHERE id = $1', params: [id], tag: 'test.count' });
const insert = { sql: 'INSERT INTO items (id) VALUES ($1)', tag: 'test.insert' };

t.test('a transaction commits what it wrote and returns the value of fn', async (t) => {
  const value = await worker.transaction(async (tx) => {
    await tx.query({ ...insert, params: ['committed'] });
    await tx.query({ sql: 'UPDATE items SET n = n + $1 WHERE id = $2', params: [5, 'committed'], tag: 'test.update' });
    return tx.query({ sql: 'SELECT id, n FROM items WHERE id = $1', params: ['committed'], tag: 'test.read' });
  });
  t.strictSame(value, [{ id: 'committed', n: '5' }]);
  t.same(await count('committed'), [{ n: '1' }]);
});

t.test('a transaction that throws rolls back and rethrows the very same error', async (t) => {
  const mine = new Error('changed my mind');
  const thrown = await worker
    .transaction(async (tx) => {
      await tx.query({ ...insert, params: ['rolled-back'] });
      throw mine;
    })
    .catch((e: unknown) => e);
  t.equal(thrown, mine);
  t.same(await count('rolled-back'), [{ n: '0' }]);
});

t.test('a failed statement inside a transaction: its error, then the same outcome as in-process', async (t) => {
  for (const [name, pg] of both) {
    const failed = await pg
      .transaction(async (tx) => {
        await tx.query({ sql: 'SELECT 1 / $1::int', params: [0], tag: 'test.tx.divide' });
      })
      .catch((e: unknown) => e);
    t.match(failed, { message: 'postgres query test.tx.divide: division by zero (SQLSTATE 22012)' }, name);
    // Swallowing the error does not make the transaction committable: PGlite reports the rollback.
    const swallowed = await pg
      .transaction(async (tx) => {
        await tx.query({ sql: 'SELECT 1 / $1::int', params: [0], tag: 'test.tx.divide' }).catch(() => {});
        return 'not committed';
      })
      .catch((e: unknown) => (e instanceof Error ? e.message : e));
    t.equal(swallowed, 'Transaction was rolled back instead of committed', name);
    t.same(await pg.query({ sql: 'SELECT 1 AS one', tag: 'test.after' }), [{ one: 1 }], `${name}: usable afterwards`);
  }
});

t.test('statements issued during an open transaction wait for it, then succeed', async (t) => {
  const order: string[] = [];
  let outside: Promise<unknown> = Promise.resolve();
  let second: Promise<unknown> = Promise.resolve();
  await worker.transaction(async (tx) => {
    await tx.query({ ...insert, params: ['waited-for'] });
    outside = count('waited-for').then((rows) => {
      order.push('outside');
      return rows;
    });
    second = worker.transaction(async (tx2) => tx2.query({ sql: 'SELECT n FROM items WHERE id = $1', params: ['waited-for'], tag: 'test.second' }));
    void second.then(() => order.push('second transaction'));
    // The transaction's own statements go straight through while the others wait behind it.
    for (let i = 0; i < 20; i++) await tx.query({ sql: 'SELECT $1::int AS i', params: [i], tag: 'test.tx.more' });
    order.push('transaction done');
  });
  t.same(await outside, [{ n: '1' }]);
  t.same(await second, [{ n: '0' }]);
  t.same(order, ['transaction done', 'outside', 'second transaction']);

  // Waiting is not running inside: a statement issued during a transaction that then rolls back does
  // not see its rows.
  let during: Promise<unknown> = Promise.resolve();
  const rolledBack = worker.transaction(async (tx) => {
    await tx.query({ ...insert, params: ['never-there'] });
    during = count('never-there');
    await tx.query({ sql: 'SELECT 1', params: [], tag: 'test.tx.more' });
    throw new Error('roll it back');
  });
  await t.rejects(rolledBack, { message: 'roll it back' });
  t.same(await during, [{ n: '0' }]);
});

t.test('an SQL error keeps its message, SQLSTATE and position across the thread boundary', async (t) => {
  const sql = 'SELECT id,\n       nope FROM multi';
  const errors = await Promise.all(both.map(([, pg]) => pg.query({ sql, tag: 'test.bad' }).catch((e: unknown) => e)));
  const [fromWorker, fromLocal] = errors as [Error, Error];
  t.equal(fromWorker.message, 'postgres query test.bad: column "nope" does not exist (SQLSTATE 42703) at line 2, column 8');
  t.equal(fromWorker.message, fromLocal.message);
  t.match(fromWorker.cause, { message: 'column "nope" does not exist', code: '42703', position: '19', severity: 'ERROR' });
  t.match(fromLocal.cause, { code: '42703', position: '19', severity: 'ERROR' });
  await t.rejects(worker.query({ ...insert, params: ['committed'] }), {
    message: /^postgres query test\.insert: duplicate key value violates unique constraint "items_pkey" \(SQLSTATE 23505\)$/,
    cause: { constraint: 'items_pkey', detail: 'Key (id)=(committed) already exists.' },
  });
});

t.test('the main event loop keeps running while the worker runs a heavy statement', async (t) => {
  let inFlight = true;
  let ticks = 0;
  const timer = setInterval(() => {
    if (inFlight) ticks += 1;
  }, 1);
  try {
    const rows = await worker.query({ sql: 'SELECT count(*) AS n FROM generate_series(1, 3000000)', tag: 'test.heavy' });
    inFlight = false;
    t.same(rows, [{ n: '3000000' }]);
  } finally {
    clearInterval(timer);
  }
  t.ok(ticks > 10, `the 1 ms interval ran ${ticks} times while the statement was in flight`);
});

t.test('close: lets an open transaction finish, refuses new work, is idempotent; the data is kept', async (t) => {
  const dataDir = tempDir();
  const pg = await open(false, dataDir);
  let closing: Promise<void> = Promise.resolve();
  const value = await pg.transaction(async (tx) => {
    await tx.query({ sql: 'CREATE TABLE kept (id int)', tag: 'test.kept' });
    closing = pg.close();
    await t.rejects(pg.query({ sql: 'SELECT 1', tag: 'test.refused' }), { message: /^postgres query test\.refused: pglite \(worker thread\) .*\/postgres is closed$/ });
    await tx.query({ sql: 'INSERT INTO kept VALUES ($1)', params: [7], tag: 'test.kept.insert' });
    return 'committed while closing';
  });
  t.equal(value, 'committed while closing');
  await closing;
  await t.rejects(pg.query({ sql: 'SELECT 1', tag: 'test.after' }), { message: /^postgres query test\.after: pglite \(worker thread\) .*\/postgres is closed$/ });
  await t.rejects(pg.transaction(async () => 'never'), { message: /is closed$/ });
  const ping = await pg.ping();
  t.equal(ping.ok, false);
  await pg.close();
  await pg.close();

  const reopened = await open(true, dataDir);
  t.same(await reopened.query({ sql: 'SELECT id FROM kept', tag: 'test.reopened' }), [{ id: 7 }]);
});

t.test('a data dir that cannot be opened fails the same way in both modes', async (t) => {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const errors = await Promise.all([false, true].map((inProcess) => createPostgres({ kind: 'embedded', dataDir: file, inProcess }).catch((e: unknown) => e)));
  t.match(errors[0], { message: /^postgres: cannot open pglite .*\/a-file\/postgres: ENOTDIR: not a directory/ });
  t.equal((errors[0] as Error).message, (errors[1] as Error).message);
});

const CRASHING_WORKER = new URL('./fixtures/pglite-crashing-worker.js', import.meta.url);
const crashes = [
  ['exit', /^the PGlite worker thread for .*\/postgres exited unexpectedly \(code 7\)$/],
  ['throw', /^the PGlite worker thread for .*\/postgres failed: boom in the worker$/],
] as const;

for (const [how, expected] of crashes) {
  t.test(`a worker that dies (${how}): pending calls reject with why, later calls fail fast, close resolves`, async (t) => {
    const backend = await openWorker(tempDir(), CRASHING_WORKER);
    t.same(await backend.run('SELECT $1::int AS alive', ['1']), [{ alive: 1 }]);
    const results = await Promise.allSettled([backend.run(`CRASH ${how}`, undefined), backend.run('SELECT 2', [])]);
    t.match(results, [
      { status: 'rejected', reason: { message: expected } },
      { status: 'rejected', reason: { message: expected } },
    ]);
    await t.rejects(backend.run('SELECT 3', []), { message: expected });
    await t.rejects(backend.transaction(async () => 'never'), { message: expected });
    await backend.close();
    await t.rejects(backend.run('SELECT 4', []), { message: expected }, 'still the reason it died');
  });
}

const CHILD = fileURLToPath(new URL('./fixtures/pglite-worker-exit.ts', import.meta.url));

for (const mode of ['close', 'idle'] as const) {
  t.test(`a process with an embedded client ends by itself (${mode === 'close' ? 'after close' : 'idle, never closed'})`, async (t) => {
    // The timeout only turns a hang into a failure; nothing here measures time.
    const child = spawnSync(process.execPath, [...process.execArgv, CHILD, mode, tempDir()], { encoding: 'utf8', timeout: 120_000 });
    t.equal(child.signal, null, 'not stopped by the hang guard');
    t.equal(child.status, 0, child.stderr);
    t.equal(child.stdout, `${mode}: answer 42\n`);
  });
}
