/** Parameter sinks, the value helpers for the two drivers, globs, and target builders. */
import t from 'tap';
import type { CompiledSql } from '../src/index.js';
import { clickHouseQueryParams, clickHouseTarget, compileFilter, postgresTarget, postgresValues } from '../src/index.js';
import { globToLike } from '../src/filter/glob.js';
import { clickHouseSink, postgresSink } from '../src/filter/params.js';
import { cmp, field, num, str, summary } from './fixtures/filter-ast.js';

t.test('clickhouse sink: named, typed placeholders', async (t) => {
  const sink = clickHouseSink('w');
  t.equal(sink.add('String', 'a'), '{w0:String}');
  t.equal(sink.add('Array(Float64)', [1, 2]), '{w1:Array(Float64)}');
  t.same(sink.params, { w0: { type: 'String', value: 'a' }, w1: { type: 'Array(Float64)', value: [1, 2] } });
  t.throws(() => clickHouseSink('1x'), /invalid parameter prefix/);
  t.throws(() => clickHouseSink('a b'), /invalid parameter prefix/);
  t.throws(() => sink.add('String}; DROP', 'x'), /invalid parameter type/);
});

t.test('postgres sink: positions after the offset, cast to the type', async (t) => {
  const sink = postgresSink(2);
  t.equal(sink.add('text', 'a'), '$3::text');
  t.equal(sink.add('text[]', ['x']), '$4::text[]');
  t.same(sink.params, { 3: { type: 'text', value: 'a' }, 4: { type: 'text[]', value: ['x'] } });
  t.throws(() => postgresSink(-1), /invalid parameter offset/);
  t.throws(() => postgresSink(1.5), /invalid parameter offset/);
  t.throws(() => sink.add('text; --', 'x'), /invalid parameter type/);
});

t.test('driver values: a name → value object, or values in $n order', async (t) => {
  const compiled: CompiledSql = {
    sql: '',
    params: { 12: { type: 'text', value: 'c' }, 10: { type: 'text', value: 'a' }, 11: { type: 'numeric', value: 2 } },
  };
  t.same(postgresValues(compiled), ['a', 2, 'c']);
  t.same(clickHouseQueryParams({ sql: '', params: { f0: { type: 'String', value: 'x' }, f1: { type: 'Float64', value: 1 } } }), { f0: 'x', f1: 1 });
});

t.test('globs become LIKE patterns with LIKE metacharacters escaped', async (t) => {
  t.equal(globToLike('resnet-*'), 'resnet-%');
  t.equal(globToLike('a?c'), 'a_c');
  t.equal(globToLike('100%_done'), '100\\%\\_done');
  t.equal(globToLike('back\\slash'), 'back\\\\slash');
  t.equal(globToLike('モデル*'), 'モデル%');
  t.equal(globToLike(''), '');
});

t.test('custom targets use the caller’s expressions and summary resolver', async (t) => {
  const columns = { name: 'r.name', status: 'r.status', group: 'r.grp', tags: 'r.tags', created: 'r.created_at', duration: 'r.dur', config: 'r.cfg' };
  const ch = clickHouseTarget(columns, (key, stat) => `s_${stat}[${key}]`);
  t.ok(Object.isFrozen(ch.columns));
  t.equal(compileFilter(cmp(field('name'), '=', str('x')), ch).sql, '(r.name = {f0:String})');
  t.equal(compileFilter(cmp(summary('loss', 'max'), '<', num(1)), ch).sql, '(s_max[{f0:String}] < {f1:Float64})');
  const pg = postgresTarget(columns, (key, stat) => `(SELECT ${stat} FROM sums WHERE k = ${key})`);
  t.equal(compileFilter(cmp(summary('loss', 'min'), '<', num(1)), pg).sql, '((SELECT min FROM sums WHERE k = $1::text) < $2::numeric)');
});
