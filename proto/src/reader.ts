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

  // Every string field of every nested message is read through here.
  override string(): string {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.len) {
      throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
    }
    this.pos = end;
    const buf = this.buf;
    // Most OTLP strings (keys, names, ids) are short ASCII: check bytes by hand and take Buffer's native
    // latin1 slice; anything else is validated by isUtf8 (simdutf) and decoded by the native utf8Slice.
    for (let i = start; i < end; i++) {
      if ((buf[i] as number) > 0x7f) {
        if (!isUtf8(buf.subarray(start, end))) throw new InvalidUtf8Error(start, length);
        return buf.toString('utf8', start, end);
      }
    }
    return buf.toString('latin1', start, end);
  }
}

/** Creates a Reader over `bytes` (not copied) for generated `Message.decode(reader)`. */
export function createReader(bytes: Uint8Array): $protobuf.Reader {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Utf8CheckingReader(buffer);
}
