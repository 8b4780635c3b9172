/**
 * A growable buffer that writes ClickHouse RowBinary values
 * (https://clickhouse.com/docs/interfaces/formats/RowBinary): little-endian fixed-width numbers,
 * strings as LEB128 byte length + UTF-8 bytes, DateTime64(9) as Int64 nanoseconds, Array(T) as LEB128
 * count + elements, Map(K, V) as LEB128 count + key/value pairs.
 *
 * A class because it owns a mutable buffer and a cursor; every method is a few instructions on the ingest
 * hot path. Range errors (a negative UInt32, an Int64 past 2^63) throw, so a bad row fails its insert loudly
 * instead of being stored wrapped around.
 */

const MIN_CAPACITY = 4096;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

export class RowBinaryWriter {
  #buf: Buffer;
  // 64-bit values go through a DataView: Buffer's writeBig(U)Int64LE splits the bigint with BigInt
  // arithmetic and is several times slower on the ingest hot path.
  #view: DataView;
  #pos = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.#buf = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, initialCapacity));
    this.#view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** The bytes written so far (a view over the internal buffer: copy it before writing more). */
  view(start = 0): Buffer {
    return this.#buf.subarray(start, this.#pos);
  }

  /** A copy of the bytes written so far, sized exactly. */
  finish(): Buffer {
    return Buffer.from(this.view());
  }

  uint8(v: number): void {
    this.#ensure(1);
    this.#pos = this.#buf.writeUInt8(v, this.#pos);
  }

  uint16(v: number): void {
    this.#ensure(2);
    this.#pos = this.#buf.writeUInt16LE(v, this.#pos);
  }

  uint32(v: number): void {
    this.#ensure(4);
    this.#pos = this.#buf.writeUInt32LE(v, this.#pos);
  }

  uint64(v: bigint): void {
    if (v < 0n || v > U64_MAX) throw new RangeError(`UInt64 out of range: ${v}`);
    this.#ensure(8);
    this.#view.setBigUint64(this.#pos, v, true);
    this.#pos += 8;
  }

  int32(v: number): void {
    this.#ensure(4);
    this.#pos = this.#buf.writeInt32LE(v, this.#pos);
  }

  int64(v: bigint): void {
    if (v < I64_MIN || v > I64_MAX) throw new RangeError(`Int64 out of range: ${v}`);
    this.#ensure(8);
    this.#view.setBigInt64(this.#pos, v, true);
    this.#pos += 8;
  }

  float64(v: number): void {
    this.#ensure(8);
    this.#view.setFloat64(this.#pos, v, true);
    this.#pos += 8;
  }

  bool(v: boolean): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = v ? 1 : 0;
  }

  /** DateTime64(9): nanoseconds since the epoch as Int64. */
  dateTime64(ns: bigint): void {
    this.int64(ns);
  }

  /** Unsigned LEB128 (lengths and element counts). */
  varUInt(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varUInt out of range: ${v}`);
    this.#ensure(10);
    const buf = this.#buf;
    let n = v;
    while (n >= 0x80) {
      buf[this.#pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[this.#pos++] = n;
  }

  /** String and LowCardinality(String): LEB128 byte length, then UTF-8 bytes. */
  string(s: string): void {
    const n = s.length;
    // Up to 42 UTF-16 units encode to at most 126 bytes, so the length fits one LEB128 byte and can be
    // written after the bytes: one pass, no byteLength scan. ASCII is copied by hand (cheaper than a
    // native call for short keys and ids).
    if (n <= 42) {
      this.#ensure(1 + n * 3);
      const buf = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      const written = i === n ? n : i + buf.write(s.slice(i), start + i, 'utf8');
      buf[this.#pos] = written;
      this.#pos = start + written;
      return;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.varUInt(len);
    this.#ensure(len);
    this.#pos += this.#buf.write(s, this.#pos, len, 'utf8');
  }

  /** Raw bytes, e.g. a cached encoding of a resource block. */
  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
    this.#view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
}

/** Array(T): LEB128 count, then each element. */
export function writeArray<V>(w: RowBinaryWriter, items: readonly V[], write: (w: RowBinaryWriter, v: V) => void): void {
  w.varUInt(items.length);
  for (const item of items) write(w, item);
}

export const writeString = (w: RowBinaryWriter, v: string): void => w.string(v);
export const writeFloat64 = (w: RowBinaryWriter, v: number): void => w.float64(v);
export const writeUInt64 = (w: RowBinaryWriter, v: bigint): void => w.uint64(v);
