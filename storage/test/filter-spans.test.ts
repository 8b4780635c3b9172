/**
 * The traces filter target: span fields and typed attributes compile to parameterised SQL over `spans`
 * (attribute names only as parameters, the map chosen by the literal's type), and fields a target lacks
 * (span fields for runs, run fields for spans) are compile errors with the field's position.
 */
import t from 'tap';
import type { Expr, Field } from '../src/index.js';
import { CLICKHOUSE_RUNS_TARGET, compileFilter, FilterCompileError, POSTGRES_RUNS_TARGET, SPAN_FILTER_TARGET } from '../src/index.js';
import { and, bool, cmp, config, dur, field, isIn, match, nil, not, num, regex, str } from './fixtures/filter-ast.js';

const span = { start: 3, end: 9 };
const attr = (key: string): Field => ({ kind: 'attr', key, span });
const resource = (key: string): Field => ({ kind: 'resource', key, span });
const service: Field = { kind: 'service', span };

const ABSENT = "(NOT (mapContains(attributes_str, {f0:String}) OR mapContains(attributes_int, {f0:String}) OR mapContains(attributes_float, {f0:String}) OR mapContains(attributes_bool, {f0:String}) OR mapContains(attributes_json, {f0:String})))";

const CASES: ReadonlyArray<[string, Expr, string, Record<string, unknown>]> = [
  [
    'string equality in the form the values index serves',
    cmp(attr('gen_ai.request.model'), '=', str('gpt-4o')),
    '(attributes_str[{f0:String}] = {f1:String} AND mapContains(attributes_str, {f0:String}))',
    { f0: 'gen_ai.request.model', f1: 'gpt-4o' },
  ],
  ['string ordering', cmp(resource('service.version'), '>=', str('2')), '(if(mapContains(resource_str, {f0:String}), resource_str[{f0:String}], NULL) >= {f1:String})', { f0: 'service.version', f1: '2' }],
  [
    'a number reads the int and double maps',
    cmp(attr('llm.token_count.prompt'), '>', num(500)),
    '(multiIf(mapContains(attributes_int, {f0:String}), toFloat64(attributes_int[{f0:String}]), mapContains(attributes_float, {f0:String}), attributes_float[{f0:String}], NULL) > {f1:Float64})',
    { f0: 'llm.token_count.prompt', f1: 500 },
  ],
  ['a boolean', cmp(resource('host.arm'), '=', bool(false)), '(if(mapContains(resource_bool, {f0:String}), resource_bool[{f0:String}], NULL) = {f1:Bool})', { f0: 'host.arm', f1: false }],
  ['= null: in no map', cmp(attr('x'), '=', nil), ABSENT, { f0: 'x' }],
  [
    '!= needs the attribute present',
    cmp(attr('x'), '!=', str('a')),
    `((NOT ${ABSENT}) AND NOT coalesce((attributes_str[{f0:String}] = {f1:String} AND mapContains(attributes_str, {f0:String})), false))`,
    { f0: 'x', f1: 'a' },
  ],
  ['service', cmp(service, '=', str('api')), '(service_name = {f0:String})', { f0: 'api' }],
  ['status', isIn(field('status'), str('ok'), str('error')), "has({f0:Array(String)}, multiIf(status_code = 2, 'error', status_code = 1, 'ok', 'unset'))", { f0: ['ok', 'error'] }],
  ['duration in ms', cmp(field('duration'), '>=', dur(250)), '((duration_ns / 1e6) >= {f0:Float64})', { f0: 250 }],
  ['name regex', match(field('name'), regex('^chat', true)), 'match(name, {f0:String})', { f0: '(?i)^chat' }],
  [
    'and / not',
    and(cmp(attr('a'), '=', num(1)), not(cmp(field('name'), '=', str('x')))),
    '((multiIf(mapContains(attributes_int, {f0:String}), toFloat64(attributes_int[{f0:String}]), mapContains(attributes_float, {f0:String}), attributes_float[{f0:String}], NULL) = {f1:Float64}) AND (NOT coalesce((name = {f2:String}), false)))',
    { f0: 'a', f1: 1, f2: 'x' },
  ],
];

t.test('span fields compile to parameterised SQL over spans', async (t) => {
  for (const [name, ast, sql, values] of CASES) {
    const compiled = compileFilter(ast, SPAN_FILTER_TARGET);
    t.equal(compiled.sql, sql, name);
    t.same(Object.fromEntries(Object.entries(compiled.params).map(([k, p]) => [k, p.value])), values, name);
  }
});

t.test('a field the target lacks is a compile error at the field', async (t) => {
  const refuse = (ast: Expr, target: typeof SPAN_FILTER_TARGET, what: string) => {
    let error: unknown;
    try {
      compileFilter(ast, target);
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof FilterCompileError && error.position === 3 && /is not supported for field/.test(error.message), what);
  };
  refuse(cmp(attr('x'), '=', str('a')), CLICKHOUSE_RUNS_TARGET, 'attr on runs (ClickHouse)');
  refuse(cmp(attr('x'), '=', str('a')), POSTGRES_RUNS_TARGET, 'attr on runs (Postgres)');
  refuse(cmp(service, '=', str('a')), CLICKHOUSE_RUNS_TARGET, 'service on runs');
  refuse(cmp({ ...config('lr'), span }, '=', num(1)), SPAN_FILTER_TARGET, 'config on spans');
  refuse(cmp({ kind: 'group', span }, '=', str('g')), SPAN_FILTER_TARGET, 'group on spans');
  refuse(cmp({ kind: 'summary', key: 'loss', stat: 'last', span }, '<', num(1)), SPAN_FILTER_TARGET, 'summary on spans');
});
