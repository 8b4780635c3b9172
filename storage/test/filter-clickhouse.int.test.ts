/**
 * Compiled filters and sorts against real embedded chDB: a scratch runs table in the reference layout of
 * CLICKHOUSE_RUNS_TARGET, twenty runs, and every shared case returning exactly the expected names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLICKHOUSE_RUNS_TARGET, clickHouseQueryParams, compileFilter, compileSort, createClickHouse } from '../src/index.js';
import type { ClickHouse, QueryParams } from '../src/index.js';
import { cmp, field, str } from './fixtures/filter-ast.js';
import { FILTER_CASES, NOW, RUNS, SORT_CASES } from './fixtures/filter-runs.js';
import type { RunFixture } from './fixtures/filter-runs.js';

const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-filter-test-'));
const ch = await createClickHouse({ kind: 'embedded', dataDir });
t.teardown(async () => {
  await ch.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const TABLE = 'runs_filter_test';

async function insert(db: ClickHouse, run: RunFixture): Promise<void> {
  const keys = Object.keys(run.summary);
  const stats = Object.values(run.summary);
  await db.command({
    sql: `INSERT INTO ${TABLE}
          SELECT {name:String}, {status:String}, {group:String}, {tags:Array(String)}, fromUnixTimestamp64Milli({created:Int64}),
                 {duration:UInt64}, {config:String},
                 mapFromArrays({keys:Array(String)}, arrayMap((a, b, c, d) -> tuple(a, b, c, d),
                   {last:Array(Float64)}, {min:Array(Float64)}, {max:Array(Float64)}, {count:Array(UInt64)}))`,
    params: {
      name: run.name,
      status: run.status,
      group: run.group ?? '',
      tags: [...run.tags],
      created: Date.parse(run.created),
      duration: run.durationMs,
      config: JSON.stringify(run.config),
      keys,
      last: stats.map((x) => x.last),
      min: stats.map((x) => x.min),
      max: stats.map((x) => x.max),
      count: stats.map((x) => x.count),
    },
    tag: 'test.filter.insert',
  });
}

await ch.command({
  sql: `CREATE TABLE ${TABLE} (name String, status String, group String, tags Array(String), created DateTime64(3),
        duration_ms UInt64, config String, summary Map(String, Tuple(last Float64, min Float64, max Float64, count UInt64)))
        ENGINE = MergeTree ORDER BY name`,
  tag: 'test.filter.create',
});
for (const run of RUNS) await insert(ch, run);

async function names(where: string, params: QueryParams, orderBy = 'name'): Promise<string[]> {
  const rows = await ch.query<{ name: string }>({
    sql: `SELECT name FROM ${TABLE} WHERE ${where} ORDER BY ${orderBy}`,
    params,
    tag: 'test.filter.select',
  });
  return rows.map((r) => r.name);
}

const byteOrder = (list: readonly string[]): string[] => [...list].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

t.test('the table holds every fixture run', async (t) => {
  t.same(await names('true', {}), byteOrder(RUNS.map((r) => r.name)));
});

for (const c of FILTER_CASES) {
  t.test(`filter ${c.text || '(empty)'}`, async (t) => {
    const compiled = compileFilter(c.filter, CLICKHOUSE_RUNS_TARGET, { now: NOW });
    t.same(await names(compiled.sql, clickHouseQueryParams(compiled)), byteOrder(c.names));
  });
}

for (const c of SORT_CASES) {
  t.test(`sort ${c.text}`, async (t) => {
    const compiled = compileSort(c.sort, CLICKHOUSE_RUNS_TARGET);
    t.same(await names('true', clickHouseQueryParams(compiled), compiled.sql), c.names);
  });
}

t.test('a filter and a sort share one statement (f* and s* parameters)', async (t) => {
  const filter = compileFilter(cmp(field('status'), '=', str('finished')), CLICKHOUSE_RUNS_TARGET);
  const sort = compileSort(SORT_CASES[0]?.sort ?? [], CLICKHOUSE_RUNS_TARGET);
  const got = await names(filter.sql, { ...clickHouseQueryParams(filter), ...clickHouseQueryParams(sort) }, sort.sql);
  const finished = new Set(RUNS.filter((r) => r.status === 'finished').map((r) => r.name));
  t.same(got, SORT_CASES[0]?.names.filter((n) => finished.has(n)));
});

t.test('injection-shaped values were data, not SQL: the table is intact', async (t) => {
  const [row] = await ch.query<{ n: string }>({ sql: `SELECT count() AS n FROM ${TABLE}`, tag: 'test.filter.count' });
  t.equal(Number(row?.n), RUNS.length);
});
