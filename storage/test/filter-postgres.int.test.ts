/**
 * Compiled filters and sorts against the machine's Postgres (127.0.0.1:5432, trust auth): a schema of its
 * own per run, a runs table in the reference layout of POSTGRES_RUNS_TARGET (config and summary as jsonb),
 * the same twenty runs and cases as the ClickHouse test, and the same answers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { POSTGRES_RUNS_TARGET, compileFilter, compileSort, postgresValues } from '../src/index.js';
import { cmp, field, str } from './fixtures/filter-ast.js';
import { FILTER_CASES, NOW, RUNS, SORT_CASES } from './fixtures/filter-runs.js';

const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await client.connect();
const schema = `filter_test_${process.pid}_${randomBytes(4).toString('hex')}`;
t.teardown(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

await client.query(`CREATE SCHEMA ${schema}`);
await client.query(`SET search_path TO ${schema}`);
await client.query(`CREATE TABLE runs (name text NOT NULL, status text NOT NULL, "group" text, tags text[] NOT NULL,
  created timestamptz NOT NULL, duration_ms double precision, config jsonb NOT NULL, summary jsonb NOT NULL)`);
for (const run of RUNS) {
  await client.query('INSERT INTO runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    run.name,
    run.status,
    run.group,
    run.tags,
    run.created,
    run.durationMs,
    JSON.stringify(run.config),
    JSON.stringify(run.summary),
  ]);
}

/** Runs `SELECT name … WHERE <where> ORDER BY <orderBy>` with one leading parameter of our own ($1). */
async function names(where: string, values: readonly unknown[], orderBy = 'name COLLATE "C"'): Promise<string[]> {
  const result = await client.query<{ name: string }>(`SELECT name FROM runs WHERE $1::int = 1 AND ${where} ORDER BY ${orderBy}`, [1, ...values]);
  return result.rows.map((r) => r.name);
}

const byteOrder = (list: readonly string[]): string[] => [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

t.test('the table holds every fixture run', async (t) => {
  t.same(await names('true', []), byteOrder(RUNS.map((r) => r.name)));
});

for (const c of FILTER_CASES) {
  t.test(`filter ${c.text || '(empty)'}`, async (t) => {
    const compiled = compileFilter(c.filter, POSTGRES_RUNS_TARGET, { now: NOW, offset: 1 });
    t.same(await names(compiled.sql, postgresValues(compiled)), byteOrder(c.names));
  });
}

for (const c of SORT_CASES) {
  t.test(`sort ${c.text}`, async (t) => {
    const compiled = compileSort(c.sort, POSTGRES_RUNS_TARGET, { offset: 1 });
    t.same(await names('true', postgresValues(compiled), compiled.sql), c.names);
  });
}

t.test('a filter and a sort share one statement, numbered one after the other', async (t) => {
  const filter = compileFilter(cmp(field('status'), '=', str('finished')), POSTGRES_RUNS_TARGET, { offset: 1 });
  const sort = compileSort(SORT_CASES[0]?.sort ?? [], POSTGRES_RUNS_TARGET, { offset: 1 + Object.keys(filter.params).length });
  const got = await names(filter.sql, [...postgresValues(filter), ...postgresValues(sort)], sort.sql);
  const finished = new Set(RUNS.filter((r) => r.status === 'finished').map((r) => r.name));
  t.same(got, SORT_CASES[0]?.names.filter((n) => finished.has(n)));
});

t.test('injection-shaped values were data, not SQL: the table is intact', async (t) => {
  const result = await client.query<{ n: string }>('SELECT count(*) AS n FROM runs');
  t.equal(Number(result.rows[0]?.n), RUNS.length);
});
