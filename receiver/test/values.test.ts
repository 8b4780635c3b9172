/** Value conversions on the hot path: 64-bit integers, ids, typed attributes, OTLP/JSON text. */
import t from 'tap';
import Long from 'long';
import { anyValueCase, idToHex, keyValuesJson, toAttributeSet, toBigInt, toNanos, toNumber } from '../src/map/values.js';

t.test('64-bit integers convert exactly', async (t) => {
  t.equal(toBigInt(Long.fromString('1700000000123456789', true)), 1700000000123456789n);
  t.equal(toBigInt(Long.fromString('18446744073709551615', true)), 18446744073709551615n);
  t.equal(toBigInt(Long.fromString('-9223372036854775808')), -9223372036854775808n);
  t.equal(toBigInt(Long.fromString('9223372036854775807')), 9223372036854775807n);
  t.equal(toBigInt(Long.fromNumber(-1)), -1n);
  t.equal(toBigInt(Long.fromNumber(42)), 42n);
  t.equal(toBigInt('123'), 123n);
  t.equal(toBigInt(null), 0n);
  t.equal(toNanos(Long.fromString('18446744073709551615', true)), -1n, 'nanos wrap into Int64 like ClickHouse would');
  t.equal(toNumber(Long.fromString('9007199254740993')), 9007199254740992);
  t.equal(toNumber(Long.fromString('-5')), -5);
});

t.test('ids: hex when valid, empty when absent or zero, undefined when malformed', async (t) => {
  t.equal(idToHex(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), 16), '5b8efff798038103d269b633813fc60c');
  t.equal(idToHex(new Uint8Array(16), 16), '');
  t.equal(idToHex(new Uint8Array(0), 8), '');
  t.equal(idToHex(undefined, 8), '');
  t.equal(idToHex(new Uint8Array(7), 8), undefined);
});

t.test('attributes keep their types; complex values become OTLP/JSON', async (t) => {
  const set = toAttributeSet([
    { key: 's', value: { stringValue: 'x' } },
    { key: 'i', value: { intValue: Long.fromString('-9223372036854775808') } },
    { key: 'd', value: { doubleValue: 3 } },
    { key: 'b', value: { boolValue: false } },
    { key: 'a', value: { arrayValue: { values: [{ intValue: Long.fromNumber(1) }, { doubleValue: Number.NaN }] } } },
    { key: 'none', value: {} },
  ]);
  t.same(set.keys, ['s', 'i', 'd', 'b', 'a', 'none']);
  t.same(set.values, ['x', -9223372036854775808n, 3, false, { json: '{"arrayValue":{"values":[{"intValue":"1"},{"doubleValue":"NaN"}]}}' }, { json: '{}' }]);
  t.equal(anyValueCase({ doubleValue: 0 }), 'doubleValue', 'zero is a set value');
  t.equal(keyValuesJson([]), '[]');
  t.equal(keyValuesJson([{ key: 'k', value: { bytesValue: Buffer.from([1, 2, 255]) } }]), '[{"key":"k","value":{"bytesValue":"AQL/"}}]');
});
