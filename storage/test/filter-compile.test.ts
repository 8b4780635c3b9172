/**
 * The filter compiler, construct by construct, in both dialects: the exact SQL text (placeholders and the
 * target's expressions only) and the exact typed parameters.
 */
import t from 'tap';
import type { Expr, TypedParam } from '../src/index.js';
import { CLICKHOUSE_RUNS_TARGET, POSTGRES_RUNS_TARGET, compileFilter } from '../src/index.js';
import { ago, and, bool, cmp, config, dur, field, glob, has, isIn, match, nil, not, notIn, notMatch, num, or, regex, str, summary, ts } from './fixtures/filter-ast.js';

const NOW = Date.parse('2026-11-25T00:00:00Z');
type P = Record<string, [string, unknown]>;
const params = (p: P): Record<string, TypedParam> => Object.fromEntries(Object.entries(p).map(([k, [type, value]]) => [k, { type, value } as TypedParam]));

interface Case {
  readonly name: string;
  readonly ast: Expr;
  readonly ch: readonly [string, P];
  readonly pg: readonly [string, P];
}

const CH_LR = "if(JSONType(config, {f0:String}, {f1:String}) IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(config, {f0:String}, {f1:String}), NULL)";
const PG_LR = "(CASE WHEN jsonb_typeof(config #> $1::text[]) = 'number' THEN (config #>> $1::text[])::numeric END)";
const CH_AMP = "if(JSONType(config, {f0:String}) = 'Bool', JSONExtractBool(config, {f0:String}) = 1, NULL)";
const PG_AMP = "(CASE WHEN jsonb_typeof(config #> $1::text[]) = 'boolean' THEN (config #>> $1::text[])::boolean END)";
const CH_K_STR = "if(JSONType(config, {f0:String}) = 'String', JSONExtractString(config, {f0:String}), NULL)";
const PG_K_STR = "(CASE WHEN jsonb_typeof(config #> $1::text[]) = 'string' THEN config #>> $1::text[] END)";
const CH_K_NUM = "if(JSONType(config, {f0:String}) IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(config, {f0:String}), NULL)";
const PG_K_NUM = "(CASE WHEN jsonb_typeof(config #> $1::text[]) = 'number' THEN (config #>> $1::text[])::numeric END)";
const CH_K_BOOL = "if(JSONType(config, {f0:String}) = 'Bool', JSONExtractBool(config, {f0:String}) = 1, NULL)";
const CH_ABSENT = "(JSONType(config, {f0:String}) = 'Null')";
const PG_ABSENT = "(coalesce(jsonb_typeof(config #> $1::text[]), 'null') = 'null')";

const CASES: readonly Case[] = [
  { name: 'string equality', ast: cmp(field('name'), '=', str('a')), ch: ['(name = {f0:String})', { f0: ['String', 'a'] }], pg: ['(name = $1::text)', { 1: ['text', 'a'] }] },
  { name: 'string ordering is byte-wise', ast: cmp(field('name'), '<', str('m')), ch: ['(name < {f0:String})', { f0: ['String', 'm'] }], pg: ['(name COLLATE "C" < $1::text)', { 1: ['text', 'm'] }] },
  {
    name: '!= requires a value',
    ast: cmp(field('status'), '!=', str('failed')),
    ch: ['((NOT (status IS NULL)) AND NOT coalesce((status = {f0:String}), false))', { f0: ['String', 'failed'] }],
    pg: ['((NOT (status IS NULL)) AND NOT coalesce((status = $1::text), false))', { 1: ['text', 'failed'] }],
  },
  { name: '= null', ast: cmp(field('group'), '=', nil), ch: ["(nullIf(`group`, '') IS NULL)", {}], pg: ['("group" IS NULL)', {}] },
  { name: '!= null', ast: cmp(field('group'), '!=', nil), ch: ["(NOT (nullIf(`group`, '') IS NULL))", {}], pg: ['(NOT ("group" IS NULL))', {}] },
  {
    name: 'created vs an ISO timestamp',
    ast: cmp(field('created'), '>=', ts('2026-11-01T00:00:00Z')),
    ch: ['(created >= fromUnixTimestamp64Milli({f0:Int64}))', { f0: ['Int64', 1793491200000] }],
    pg: ['(created >= $1::timestamptz)', { 1: ['timestamptz', '2026-11-01T00:00:00.000Z'] }],
  },
  {
    name: 'created vs a relative time, resolved against `now`',
    ast: cmp(field('created'), '>', ago(86_400_000)),
    ch: ['(created > fromUnixTimestamp64Milli({f0:Int64}))', { f0: ['Int64', NOW - 86_400_000] }],
    pg: ['(created > $1::timestamptz)', { 1: ['timestamptz', '2026-11-24T00:00:00.000Z'] }],
  },
  { name: 'duration in ms', ast: cmp(field('duration'), '<=', dur(5_400_000)), ch: ['(duration_ms <= {f0:Float64})', { f0: ['Float64', 5_400_000] }], pg: ['(duration_ms <= $1::numeric)', { 1: ['numeric', 5_400_000] }] },
  {
    name: 'config number: typed extraction, path segments as parameters',
    ast: cmp(config('optimizer', 'lr'), '<', num(0.001)),
    ch: [`(${CH_LR} < {f2:Float64})`, { f0: ['String', 'optimizer'], f1: ['String', 'lr'], f2: ['Float64', 0.001] }],
    pg: [`(${PG_LR} < $2::numeric)`, { 1: ['text[]', ['optimizer', 'lr']], 2: ['numeric', 0.001] }],
  },
  {
    name: 'config string ordering',
    ast: cmp(config('k'), '>', str('r')),
    ch: [`(${CH_K_STR} > {f1:String})`, { f0: ['String', 'k'], f1: ['String', 'r'] }],
    pg: [`(${PG_K_STR} COLLATE "C" > $2::text)`, { 1: ['text[]', ['k']], 2: ['text', 'r'] }],
  },
  {
    name: 'config boolean',
    ast: cmp(config('amp'), '=', bool(false)),
    ch: [`(${CH_AMP} = {f1:Bool})`, { f0: ['String', 'amp'], f1: ['Bool', false] }],
    pg: [`(${PG_AMP} = $2::boolean)`, { 1: ['text[]', ['amp']], 2: ['boolean', false] }],
  },
  {
    name: 'config != : present and not equal',
    ast: cmp(config('amp'), '!=', bool(true)),
    ch: [`((NOT (JSONType(config, {f0:String}) = 'Null')) AND NOT coalesce((${CH_AMP} = {f1:Bool}), false))`, { f0: ['String', 'amp'], f1: ['Bool', true] }],
    pg: [`((NOT ${PG_ABSENT}) AND NOT coalesce((${PG_AMP} = $2::boolean), false))`, { 1: ['text[]', ['amp']], 2: ['boolean', true] }],
  },
  { name: 'config = null: missing or JSON null', ast: cmp(config('k'), '=', nil), ch: [CH_ABSENT, { f0: ['String', 'k'] }], pg: [PG_ABSENT, { 1: ['text[]', ['k']] }] },
  {
    name: 'summary statistic, key as a parameter',
    ast: cmp(summary('val/loss', 'min'), '>', num(0.5)),
    ch: ["(if(mapContains(summary, {f0:String}), tupleElement(summary[{f0:String}], 'min'), NULL) > {f1:Float64})", { f0: ['String', 'val/loss'], f1: ['Float64', 0.5] }],
    pg: [
      "((CASE WHEN jsonb_typeof(summary -> $1::text -> 'min') = 'number' THEN (summary -> $1::text -> 'min')::text::numeric END) > $2::numeric)",
      { 1: ['text', 'val/loss'], 2: ['numeric', 0.5] },
    ],
  },
  { name: 'in: one array parameter', ast: isIn(field('status'), str('a'), str('b')), ch: ['has({f0:Array(String)}, status)', { f0: ['Array(String)', ['a', 'b']] }], pg: ['(status = ANY($1::text[]))', { 1: ['text[]', ['a', 'b']] }] },
  {
    name: 'in with mixed types: one test per type, ORed',
    ast: isIn(config('k'), num(1), str('1'), bool(true), nil),
    ch: [
      `(has({f1:Array(String)}, ${CH_K_STR}) OR has({f2:Array(Float64)}, ${CH_K_NUM}) OR (${CH_K_BOOL} = {f3:Bool}) OR ${CH_ABSENT})`,
      { f0: ['String', 'k'], f1: ['Array(String)', ['1']], f2: ['Array(Float64)', [1]], f3: ['Bool', true] },
    ],
    pg: [
      `((${PG_K_STR} = ANY($2::text[])) OR (${PG_K_NUM} = ANY($3::numeric[])) OR (${PG_AMP} = $4::boolean) OR ${PG_ABSENT})`,
      { 1: ['text[]', ['k']], 2: ['text[]', ['1']], 3: ['numeric[]', [1]], 4: ['boolean', true] },
    ],
  },
  {
    name: 'not in: present and not in',
    ast: notIn(field('name'), str('a')),
    ch: ['((NOT (name IS NULL)) AND NOT coalesce(has({f0:Array(String)}, name), false))', { f0: ['Array(String)', ['a']] }],
    pg: ['((NOT (name IS NULL)) AND NOT coalesce((name = ANY($1::text[])), false))', { 1: ['text[]', ['a']] }],
  },
  { name: 'tags has', ast: has('baseline'), ch: ['has(tags, {f0:String})', { f0: ['String', 'baseline'] }], pg: ['(tags @> ARRAY[$1::text])', { 1: ['text', 'baseline'] }] },
  { name: 'tags in: any tag', ast: isIn(field('tags'), str('a'), str('b')), ch: ['hasAny(tags, {f0:Array(String)})', { f0: ['Array(String)', ['a', 'b']] }], pg: ['(tags && $1::text[])', { 1: ['text[]', ['a', 'b']] }] },
  { name: 'tags not in: no tag', ast: notIn(field('tags'), str('a')), ch: ['(NOT coalesce(hasAny(tags, {f0:Array(String)}), false))', { f0: ['Array(String)', ['a']] }], pg: ['(NOT coalesce((tags && $1::text[]), false))', { 1: ['text[]', ['a']] }] },
  {
    name: 'glob → LIKE with %, _ and \\ escaped',
    ast: match(field('name'), glob('res_net-*?%\\')),
    ch: ['(name LIKE {f0:String})', { f0: ['String', 'res\\_net-%_\\%\\\\'] }],
    pg: ['(name LIKE $1::text)', { 1: ['text', 'res\\_net-%_\\%\\\\'] }],
  },
  { name: 'regex', ast: match(field('name'), regex('^a.b$')), ch: ['match(name, {f0:String})', { f0: ['String', '^a.b$'] }], pg: ['(name ~ $1::text)', { 1: ['text', '^a.b$'] }] },
  { name: 'case-insensitive regex', ast: match(field('name'), regex('^a', true)), ch: ['match(name, {f0:String})', { f0: ['String', '(?i)^a'] }], pg: ['(name ~* $1::text)', { 1: ['text', '^a'] }] },
  {
    name: '!~ on config: present and not matching',
    ast: notMatch(config('k'), glob('vit*')),
    ch: [`((NOT (JSONType(config, {f0:String}) = 'Null')) AND NOT coalesce((${CH_K_STR} LIKE {f1:String}), false))`, { f0: ['String', 'k'], f1: ['String', 'vit%'] }],
    pg: [`((NOT ${PG_ABSENT}) AND NOT coalesce((${PG_K_STR} LIKE $2::text), false))`, { 1: ['text[]', ['k']], 2: ['text', 'vit%'] }],
  },
  {
    name: 'tags ~ : any tag matches',
    ast: match(field('tags'), glob('t*')),
    ch: ['arrayExists(tag_ -> (tag_ LIKE {f0:String}), tags)', { f0: ['String', 't%'] }],
    pg: ['EXISTS (SELECT 1 FROM unnest(tags) AS tag_(v) WHERE (tag_.v LIKE $1::text))', { 1: ['text', 't%'] }],
  },
  {
    name: 'tags !~ : no tag matches',
    ast: notMatch(field('tags'), regex('x', true)),
    ch: ['(NOT coalesce(arrayExists(tag_ -> match(tag_, {f0:String}), tags), false))', { f0: ['String', '(?i)x'] }],
    pg: ['(NOT coalesce(EXISTS (SELECT 1 FROM unnest(tags) AS tag_(v) WHERE (tag_.v ~* $1::text)), false))', { 1: ['text', 'x'] }],
  },
  {
    name: 'and, or, not (not is the complement: NULL counts as false)',
    ast: and(or(has('a'), has('b')), not(cmp(field('name'), '=', str('c')))),
    ch: ['((has(tags, {f0:String}) OR has(tags, {f1:String})) AND (NOT coalesce((name = {f2:String}), false)))', { f0: ['String', 'a'], f1: ['String', 'b'], f2: ['String', 'c'] }],
    pg: ['(((tags @> ARRAY[$1::text]) OR (tags @> ARRAY[$2::text])) AND (NOT coalesce((name = $3::text), false)))', { 1: ['text', 'a'], 2: ['text', 'b'], 3: ['text', 'c'] }],
  },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    t.same(compileFilter(c.ast, CLICKHOUSE_RUNS_TARGET, { now: NOW }), { sql: c.ch[0], params: params(c.ch[1]) }, 'clickhouse');
    t.same(compileFilter(c.ast, POSTGRES_RUNS_TARGET, { now: NOW }), { sql: c.pg[0], params: params(c.pg[1]) }, 'postgres');
  });
}

t.test('the empty filter matches everything', async (t) => {
  t.same(compileFilter(null, CLICKHOUSE_RUNS_TARGET), { sql: 'true', params: {} });
  t.same(compileFilter(null, POSTGRES_RUNS_TARGET), { sql: 'true', params: {} });
});

t.test('a config path or summary key used twice in one node is one parameter', async (t) => {
  const { params: p } = compileFilter(cmp(config('a', 'b', 'c'), '!=', num(1)), CLICKHOUSE_RUNS_TARGET);
  t.same(Object.keys(p), ['f0', 'f1', 'f2', 'f3']);
  const pg = compileFilter(cmp(summary('loss'), '!=', num(1)), POSTGRES_RUNS_TARGET);
  t.same(Object.keys(pg.params), ['1', '2']);
});

t.test('options: parameter prefix, offset and now', async (t) => {
  const ast = and(cmp(field('name'), '=', str('x')), cmp(field('created'), '>', ago(1000)));
  const ch = compileFilter(ast, CLICKHOUSE_RUNS_TARGET, { prefix: 'where_', now: 5000 });
  t.same(Object.keys(ch.params), ['where_0', 'where_1']);
  t.equal(ch.params.where_1?.value, 4000);
  const pg = compileFilter(ast, POSTGRES_RUNS_TARGET, { offset: 3, now: 5000 });
  t.equal(pg.sql, '((name = $4::text) AND (created > $5::timestamptz))');
  const before = Date.now();
  const value = compileFilter(cmp(field('created'), '>', ago(1000)), CLICKHOUSE_RUNS_TARGET).params.f0?.value;
  t.ok(typeof value === 'number' && value >= before - 1000 && value <= Date.now() - 1000, 'now defaults to the current time');
});

t.test('ASTs the parser never produces are refused with a TypeError', async (t) => {
  const bad: Array<[string, Expr]> = [
    ['comparison on tags', cmp(field('tags'), '=', str('x'))],
    ['has on another field', { kind: 'has', field: field('name'), value: str('x'), span: { start: 0, end: 0 } }],
    ['null ordering', cmp(config('k'), '<', nil)],
    ['boolean ordering', cmp(config('k'), '>', bool(true))],
    ['a number for name', cmp(field('name'), '=', num(1))],
    ['a timestamp for config', cmp(config('k'), '=', ts('2026-01-01T00:00:00Z'))],
    ['a string for a summary', cmp(summary('k'), '=', str('x'))],
    ['null for tags', isIn(field('tags'), nil)],
    ['an empty in list', isIn(field('name'))],
    ['an empty and', and()],
  ];
  for (const [what, ast] of bad) {
    t.throws(() => compileFilter(ast, CLICKHOUSE_RUNS_TARGET), TypeError, what);
    t.throws(() => compileFilter(ast, POSTGRES_RUNS_TARGET), TypeError, what);
  }
});
