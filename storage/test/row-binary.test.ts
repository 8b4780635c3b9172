import t from 'tap';
import { RowBinaryWriter, writeArray, writeFloat64, writeString } from '../src/clickhouse/row-binary.js';

const bytes = (write: (w: RowBinaryWriter) => void): number[] => {
  const w = new RowBinaryWriter(16);
  write(w);
  return [...w.finish()];
};

t.test('fixed-width integers are little-endian', async (t) => {
  t.same(bytes((w) => w.uint8(255)), [0xff]);
  t.same(bytes((w) => w.uint16(0x0102)), [0x02, 0x01]);
  t.same(bytes((w) => w.uint32(0x01020304)), [0x04, 0x03, 0x02, 0x01]);
  t.same(bytes((w) => w.uint64(2n ** 64n - 1n)), Array(8).fill(0xff));
  t.same(bytes((w) => w.int32(-2)), [0xfe, 0xff, 0xff, 0xff]);
  t.same(bytes((w) => w.int64(-(2n ** 63n))), [0, 0, 0, 0, 0, 0, 0, 0x80]);
  t.same(bytes((w) => w.int64(2n ** 63n - 1n)), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
  t.same(bytes((w) => w.dateTime64(1n)), [1, 0, 0, 0, 0, 0, 0, 0], 'DateTime64(9) is Int64 nanoseconds');
});

t.test('Float64 and Bool', async (t) => {
  t.same(bytes((w) => w.float64(1)), [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  t.same(bytes((w) => w.float64(Infinity)), [0, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
  t.same(bytes((w) => w.float64(-Infinity)), [0, 0, 0, 0, 0, 0, 0xf0, 0xff]);
  t.same(bytes((w) => w.float64(NaN)), [0, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
  t.same(bytes((w) => w.float64(-0)), [0, 0, 0, 0, 0, 0, 0, 0x80]);
  t.same(bytes((w) => (w.bool(true), w.bool(false))), [1, 0]);
});

t.test('LEB128 lengths', async (t) => {
  t.same(bytes((w) => w.varUInt(0)), [0]);
  t.same(bytes((w) => w.varUInt(127)), [0x7f]);
  t.same(bytes((w) => w.varUInt(128)), [0x80, 0x01]);
  t.same(bytes((w) => w.varUInt(300)), [0xac, 0x02]);
  t.same(bytes((w) => w.varUInt(2 ** 32)), [0x80, 0x80, 0x80, 0x80, 0x10]);
  t.throws(() => bytes((w) => w.varUInt(-1)), RangeError);
});

t.test('strings are LEB128 byte length + UTF-8', async (t) => {
  t.same(bytes((w) => w.string('')), [0]);
  t.same(bytes((w) => w.string('ab')), [2, 0x61, 0x62]);
  t.same(bytes((w) => w.string('é')), [2, 0xc3, 0xa9]);
  t.same(bytes((w) => w.string('a🚀')), [5, 0x61, 0xf0, 0x9f, 0x9a, 0x80]);
  t.same(bytes((w) => w.string('\n\n')), [2, 0x0a, 0x0a]);
  const long = 'x'.repeat(200);
  t.same(bytes((w) => w.string(long)), [0xc8, 0x01, ...Buffer.from(long)]);
  const wide = '世'.repeat(42);
  t.same(bytes((w) => w.string(wide)), [126, ...Buffer.from(wide)], '42 three-byte chars still fit a one-byte length');
  const wider = '世'.repeat(43);
  t.same(bytes((w) => w.string(wider)), [0x81, 0x01, ...Buffer.from(wider)]);
});

t.test('arrays and raw bytes', async (t) => {
  t.same(bytes((w) => writeArray(w, ['a', ''], writeString)), [2, 1, 0x61, 0]);
  t.same(bytes((w) => writeArray(w, [], writeFloat64)), [0]);
  t.same(bytes((w) => w.bytes(Uint8Array.of(9, 8))), [9, 8]);
});

t.test('the buffer grows past its initial capacity without losing bytes', async (t) => {
  const w = new RowBinaryWriter(1);
  for (let i = 0; i < 10_000; i++) w.uint32(i);
  const out = w.finish();
  t.equal(out.length, 40_000);
  t.equal(out.readUInt32LE(4 * 9_999), 9_999);
  t.equal(w.view(39_996).readUInt32LE(0), 9_999, 'view from an offset');
});

t.test('values a column cannot hold throw instead of wrapping', async (t) => {
  t.throws(() => bytes((w) => w.uint32(-1)));
  t.throws(() => bytes((w) => w.uint8(256)));
  t.throws(() => bytes((w) => w.int64(2n ** 63n)));
  t.throws(() => bytes((w) => w.uint64(-1n)));
});
