// A protobufjs Reader whose strings are checked for valid UTF-8 (proto3 requires it; OTLP data is
// stored as text). Generated decode() functions pass the reader they were given to every nested
// message, so one createReader() covers the whole request.
import { Buffer, isUtf8 } from 'node:buffer';
import { $protobuf } from './runtime.js';

/** Thrown by decode() when a string field holds bytes that are not valid UTF-8. */
export class InvalidUtf8Error extends Error {
  readonly code = 'INVALID_UTF8';
  override readonly name = 'InvalidUtf8Error';

  /**
   * @param offset byte offset of the string's first byte in the decoded buffer
   * @param length byte length of the string
   */
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {
    super(`invalid UTF-8 in a string field at byte offset ${offset} (length ${length})`);
  }
}

class Utf8CheckingReader extends $protobuf.BufferReader {
  // Narrowed: createReader always hands in a Buffer (BufferReader keeps it as given).
  declare buf: Buffer;

  // Generated proto3 code calls stringVerify(); plain string() is overridden too so no path skips the check.
  override string(): string {
    const length = this.size();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) {
      throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    }
    this.pos = end;
    // isUtf8 is simdutf in C++; toString('utf8', ...) is Buffer's native utf8Slice.
    if (!isUtf8(this.buf.subarray(start, end))) throw new InvalidUtf8Error(start, length);
    return this.buf.toString('utf8', start, end);
  }

  override stringVerify(): string {
    return this.string();
  }
}

/** Creates a Reader over `bytes` (not copied) for generated `Message.decode(reader)`. */
export function createReader(bytes: Uint8Array): $protobuf.Reader {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Utf8CheckingReader(buffer);
}
