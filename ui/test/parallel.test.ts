/** Parallel-coordinates axes: numeric and categorical domains and positions on them. */
import t from 'tap';
import type { Axis } from '../src/lib/parallel.js';
import { buildAxes, position } from '../src/lib/parallel.js';

const rows: Record<string, unknown>[] = [
  { lr: 0.001, opt: 'adam', layers: 12, loss: 0.5, flag: true, seed: 1 },
  { lr: 0.01, opt: 'sgd', layers: 12, loss: 'NaN', flag: false, seed: 'auto' },
  { lr: 0.1, opt: 'adam', layers: 12, loss: 0.2 },
  { lr: null, opt: 'rmsprop', layers: 12, loss: 'Infinity', flag: true, seed: 10 },
  { opt: 'layer10' },
  { opt: 'layer2' },
];

t.test('buildAxes: numbers over their finite range, categories sorted naturally', async (t) => {
  const [lr, opt, layers, loss, flag, seed, missing] = buildAxes(rows, ['lr', 'opt', 'layers', 'loss', 'flag', 'seed', 'missing']);
  t.same(lr, { key: 'lr', kind: 'number', domain: [0.001, 0.1] });
  t.same(opt, { key: 'opt', kind: 'category', domain: ['adam', 'layer2', 'layer10', 'rmsprop', 'sgd'] });
  t.same(layers?.kind, 'number');
  const [lo = NaN, hi = NaN] = layers?.domain as number[];
  t.ok(lo < 12 && hi > 12 && Math.abs(12 - lo - (hi - 12)) < 1e-12 && hi - lo <= 1, `a single value gets a small symmetric pad (${lo}, ${hi})`);
  t.same(loss, { key: 'loss', kind: 'number', domain: [0.2, 0.5] }, "the API's NaN/Infinity strings are numbers left out of the range");
  t.same(flag, { key: 'flag', kind: 'category', domain: ['false', 'true'] });
  t.same(seed, { key: 'seed', kind: 'category', domain: ['1', '10', 'auto'] }, 'mixed numbers and strings: categories');
  t.same(missing, { key: 'missing', kind: 'category', domain: [] });
  t.same(buildAxes([{ z: 0 }], ['z'])[0]?.domain, [-1, 1], 'zero is padded too');
});

t.test('position: 0..1 on the axis, null when missing or unknown', async (t) => {
  const [lr, opt, layers, loss] = buildAxes(rows, ['lr', 'opt', 'layers', 'loss']) as [Axis, Axis, Axis, Axis];
  t.equal(position(lr, 0.001), 0);
  t.equal(position(lr, 0.1), 1);
  t.ok(Math.abs((position(lr, 0.0505) ?? NaN) - 0.5) < 1e-12);
  t.equal(position(lr, 5), 1, 'clamped');
  t.equal(position(lr, null), null);
  t.equal(position(lr, undefined), null);
  t.equal(position(lr, 'adam'), null, 'a string on a numeric axis');
  t.equal(position(loss, 'NaN'), null);
  t.equal(position(loss, 'Infinity'), null);
  t.equal(position(layers, 12), 0.5, 'a single value sits in the middle');
  t.equal(position(opt, 'adam'), 0);
  t.equal(position(opt, 'layer10'), 0.5);
  t.equal(position(opt, 'sgd'), 1);
  t.equal(position(opt, 'lamb'), null);
  t.equal(position({ key: 'k', kind: 'category', domain: ['only'] }, 'only'), 0.5);
  t.equal(position({ key: 'k', kind: 'category', domain: ['true', 'false'] }, true), 0, 'booleans by their JSON');
});
