/** The object store surface shared by the local and S3 stores (./store.ts explains the guarantees). */
import type { Readable } from 'node:stream';
import type { PutOptions } from './digest.js';

export interface StoredObject {
  /** `file:///abs/path` or `s3://bucket/key`. */
  readonly uri: string;
  /** Lower-case hex of the bytes stored. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ObjectRead {
  /** The whole object, or the part of `range` that lies inside it. */
  readonly body: Readable;
  /** The whole object's size, whatever the range. */
  readonly sizeBytes: number;
  readonly contentType?: string;
}

export type ObjectPingResult = { readonly ok: true } | { readonly ok: false; readonly error: Error };

export interface ObjectStore {
  readonly kind: 'local' | 's3';
  /** Where the bytes go, safe to log (no credentials). */
  readonly description: string;
  /**
   * Streams `body` to `key` (replacing an object already there) and returns where it went, with its sha256
   * and size. Fails with ObjectStoreError (invalid_key, too_large, checksum_mismatch, key_conflict) or an
   * I/O error; on failure nothing new is visible. `body` is unpiped but not destroyed on failure.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject>;
  /** The object's bytes (a range of them when asked), or null when there is no object at `key`. */
  get(key: string, range?: ByteRange): Promise<ObjectRead | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every object under a folder prefix (`project/run/`; must end with `/`). */
  deletePrefix(prefix: string): Promise<void>;
  /** Checks the folder is writable / the bucket answers. Never throws. */
  ping(): Promise<ObjectPingResult>;
  close(): Promise<void>;
}
