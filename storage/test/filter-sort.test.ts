/** The sort compiler in both dialects: exact ORDER BY lists, missing values last, config values by type. */
import t from 'tap';
import { CLICKHOUSE_RUNS_TARGET, POSTGRES_RUNS_TARGET, compileSort } from '../src/index.js';
import { asc, config, desc, field, summary } from './fixtures/filter-ast.js';

t.test('plain fields: ASC/DESC NULLS LAST; strings byte-ordered in Postgres', async (t) => {
  const sort = [asc(field('name')), desc(field('created')), asc(field('duration')), desc(field('group')), asc(field('status'))];
  t.same(compileSort(sort, CLICKHOUSE_RUNS_TARGET), {
    sql: "name ASC NULLS LAST, created DESC NULLS LAST, duration_ms ASC NULLS LAST, nullIf(`group`, '') DESC NULLS LAST, status ASC NULLS LAST",
    params: {},
  });
  t.same(compileSort(sort, POSTGRES_RUNS_TARGET), {
    sql: 'name COLLATE "C" ASC NULLS LAST, created DESC NULLS LAST, duration_ms ASC NULLS LAST, "group" COLLATE "C" DESC NULLS LAST, status COLLATE "C" ASC NULLS LAST',
    params: {},
  });
});

t.test('summary: the statistic, key as a parameter (prefix s)', async (t) => {
  t.same(compileSort([desc(summary('val/loss', 'max'))], CLICKHOUSE_RUNS_TARGET), {
    sql: "if(mapContains(summary, {s0:String}), tupleElement(summary[{s0:String}], 'max'), NULL) DESC NULLS LAST",
    params: { s0: { type: 'String', value: 'val/loss' } },
  });
  t.same(compileSort([desc(summary('val/loss', 'count'))], POSTGRES_RUNS_TARGET, { offset: 2 }), {
    sql: "(CASE WHEN jsonb_typeof(summary -> $3::text -> 'count') = 'number' THEN (summary -> $3::text -> 'count')::text::numeric END) DESC NULLS LAST",
    params: { 3: { type: 'text', value: 'val/loss' } },
  });
});

t.test('config: type rank ascending, then one key per JSON type in the asked direction', async (t) => {
  const ch = compileSort([desc(config('a', 'b'))], CLICKHOUSE_RUNS_TARGET, { prefix: 'o' });
  const type = 'JSONType(config, {o0:String}, {o1:String})';
  const path = '{o0:String}, {o1:String}';
  t.same(ch, {
    sql: [
      `multiIf(${type} IN ('Int64', 'UInt64', 'Double'), 0, ${type} = 'String', 1, ${type} = 'Bool', 2, 3) ASC`,
      `if(${type} IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(config, ${path}), NULL) DESC NULLS LAST`,
      `if(${type} = 'String', JSONExtractString(config, ${path}), NULL) DESC NULLS LAST`,
      `if(${type} = 'Bool', JSONExtractBool(config, ${path}) = 1, NULL) DESC NULLS LAST`,
    ].join(', '),
    params: { o0: { type: 'String', value: 'a' }, o1: { type: 'String', value: 'b' } },
  });
  const pg = compileSort([asc(config('a'))], POSTGRES_RUNS_TARGET);
  const v = 'config #> $1::text[]';
  t.same(pg, {
    sql: [
      `(CASE jsonb_typeof(${v}) WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2 ELSE 3 END) ASC`,
      `(CASE WHEN jsonb_typeof(${v}) = 'number' THEN (config #>> $1::text[])::numeric END) ASC NULLS LAST`,
      `(CASE WHEN jsonb_typeof(${v}) = 'string' THEN config #>> $1::text[] END) COLLATE "C" ASC NULLS LAST`,
      `(CASE WHEN jsonb_typeof(${v}) = 'boolean' THEN (config #>> $1::text[])::boolean END) ASC NULLS LAST`,
    ].join(', '),
    params: { 1: { type: 'text[]', value: ['a'] } },
  });
});

t.test('an empty sort is an empty list; tags cannot be sorted', async (t) => {
  t.same(compileSort([], CLICKHOUSE_RUNS_TARGET), { sql: '', params: {} });
  t.same(compileSort([], POSTGRES_RUNS_TARGET), { sql: '', params: {} });
  t.throws(() => compileSort([asc(field('tags'))], CLICKHOUSE_RUNS_TARGET), TypeError);
  t.throws(() => compileSort([asc(field('tags'))], POSTGRES_RUNS_TARGET), TypeError);
});
