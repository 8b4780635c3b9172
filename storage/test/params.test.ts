import t from 'tap';
import { bindParams } from '../src/clickhouse/params.js';

t.test('scalars are bound as text both chDB and the HTTP client pass through unchanged', async (t) => {
  t.same(
    bindParams({ s: "it's\n", i: -(2n ** 63n), f: 0.1, nan: NaN, inf: Infinity, ninf: -Infinity, big: 1e300, yes: true, no: false }),
    { s: "it's\n", i: -(2n ** 63n), f: '0.1', nan: 'nan', inf: 'inf', ninf: '-inf', big: '1e+300', yes: '1', no: '0' },
  );
  t.equal(bindParams(undefined), undefined);
});

t.test('arrays keep finite elements, nested arrays included', async (t) => {
  t.same(bindParams({ a: ['x', 'y'], n: [1, 2.5], b: [1n], nested: [[1], [2]] }), { a: ['x', 'y'], n: [1, 2.5], b: [1n], nested: [[1], [2]] });
  t.throws(() => bindParams({ a: [NaN] }), /query param a: NaN\/Infinity inside an array/);
  t.throws(() => bindParams({ a: [2 ** 60] }), /past 2\^53, pass a bigint/);
});

t.test('names must be identifiers, values must be supported', async (t) => {
  t.throws(() => bindParams({ 'a b': 1 }), /invalid query param name/);
  t.throws(() => bindParams({ a: null as unknown as string }), /query param a: unsupported value null/);
});
