/**
 * Object storage for artifact bytes: a local folder (embedded mode) or an S3-compatible bucket (server
 * mode), behind one small surface. Bodies are streams end to end: sha256 and size are computed while the
 * bytes pass (./digest.ts) and no store holds a whole body in memory (S3 buffers at most a few parts).
 * An object becomes visible only complete: the local store renames a finished temp file into place, S3
 * only shows an object once its PutObject / CompleteMultipartUpload succeeded.
 */
import { openLocalStore } from './local.js';
import type { LocalStoreOptions } from './local.js';
import { openS3Store } from './s3.js';
import type { S3StoreOptions } from './s3.js';
import type { ObjectStore } from './types.js';

export type ObjectStoreOptions = LocalStoreOptions | S3StoreOptions;

/** Opens a store: creates the local folder, or configures the S3 client (nothing is sent until used). */
export async function createObjectStore(options: ObjectStoreOptions): Promise<ObjectStore> {
  return options.kind === 'local' ? openLocalStore(options) : openS3Store(options);
}
