/** Run configs → OTel log AnyValues (the KvList body of mlrun.run.start). */
import t from 'tap';
import { toAnyValue, toAnyValueMap } from '../src/any-value.js';

t.test('nested plain values keep their shape; what has no value is left out', async (t) => {
  const fn = (): void => {};
  t.same(toAnyValueMap({ lr: 1e-3, epochs: 3, amp: true, name: 'x', none: null, gone: undefined, f: fn, optimizer: { betas: [0.9, 0.999], extra: [undefined, 1] } }), {
    lr: 1e-3,
    epochs: 3,
    amp: true,
    name: 'x',
    none: null,
    optimizer: { betas: [0.9, 0.999], extra: [null, 1] },
  });
});

t.test('Dates, Maps, Sets, BigInts, bytes and toJSON', async (t) => {
  t.equal(toAnyValue(new Date(Date.UTC(2026, 0, 2))), '2026-01-02T00:00:00.000Z');
  t.equal(toAnyValue(new Date(Number.NaN)), null);
  t.same(toAnyValue(new Map([['a', 1]])), { a: 1 });
  t.same(toAnyValue(new Set(['x', 'y'])), ['x', 'y']);
  t.equal(toAnyValue(42n), 42);
  t.equal(toAnyValue(2n ** 63n), '9223372036854775808', 'past 2^53: every digit, as text');
  t.same(toAnyValue(new Uint8Array([1, 2])), new Uint8Array([1, 2]));
  t.same(toAnyValue({ toJSON: () => ({ kind: 'custom' }) }), { kind: 'custom' });
  t.ok(Number.isNaN(toAnyValue(Number.NaN)), 'NaN is kept');
});

t.test('cycles end in a marker instead of recursing; shared (non-cyclic) objects are kept twice', async (t) => {
  const a: Record<string, unknown> = { x: 1 };
  a.self = a;
  t.same(toAnyValue(a), { x: 1, self: '[Circular]' });
  const shared = { k: 1 };
  t.same(toAnyValue({ p: shared, q: shared }), { p: { k: 1 }, q: { k: 1 } });
});
