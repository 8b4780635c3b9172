/**
 * The stream every upload goes through: it counts and hashes bytes as they pass, refuses to go past
 * `maxBytes`, and checks `expectedSha256` in its flush, before its end reaches the store. A store only
 * makes an object visible after the end (local: rename; S3: the last PutObject / CompleteMultipartUpload),
 * so a body that is too large or does not match is never visible, and an earlier object under the key stays.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { ObjectStoreError } from './errors.js';

export interface PutOptions {
  /** Larger bodies fail with ObjectStoreError('too_large') as soon as the limit is passed. */
  readonly maxBytes?: number;
  /** Lower-case hex; a body with another digest fails with ObjectStoreError('checksum_mismatch'). */
  readonly expectedSha256?: string;
  /** Stored with the object where the store can (S3); the local store keeps bytes only. */
  readonly contentType?: string;
}

export interface Digest {
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface DigestStream {
  readonly stream: Transform;
  /** Valid once the stream has ended. */
  digest(): Digest;
}

export function digestStream(options: PutOptions = {}): DigestStream {
  const hash = createHash('sha256');
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let sizeBytes = 0;
  let sha256 = '';
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) {
        callback(new ObjectStoreError('too_large', `body is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      sha256 = hash.digest('hex');
      const expected = options.expectedSha256;
      if (expected !== undefined && expected !== sha256) {
        callback(new ObjectStoreError('checksum_mismatch', `body sha256 is ${sha256}, expected ${expected}`));
        return;
      }
      callback();
    },
  });
  return { stream, digest: () => ({ sha256, sizeBytes }) };
}

/**
 * Pipes the caller's body into `into`, and ends `into` with an error when the body fails or closes before
 * its end (a client that went away). On failure of `into` the body is unpiped, not destroyed: it belongs to
 * the caller (an HTTP server still wants to answer 413 on that socket).
 */
export function feed(body: Readable, into: Transform): void {
  const fail = (error: Error) => {
    if (!into.destroyed) into.destroy(error);
  };
  // A client that left while the caller was still checking things: its 'close' has already been emitted.
  if (body.destroyed && !body.readableEnded) {
    fail(body.errored ?? new Error('body closed before its end'));
    return;
  }
  // Stays attached: a body error after `into` is done must not become an uncaught 'error' event.
  body.on('error', fail);
  body.once('close', () => {
    if (!body.readableEnded) fail(new Error('body closed before its end'));
  });
  body.pipe(into);
}
