/**
 * The failures an object store reports on purpose, told apart by `code` so a caller (the query API) can map
 * each to its own status without parsing messages. Anything else a store throws is an I/O or service error.
 */

export type ObjectStoreErrorCode =
  /** The key breaks the key rules (see ./keys.ts): `..`, an absolute path, NUL, too long, … */
  | 'invalid_key'
  /** The body went past `maxBytes`; nothing was stored. */
  | 'too_large'
  /** The body's sha256 is not `expectedSha256`; nothing was stored (an earlier object under the key is kept). */
  | 'checksum_mismatch'
  /** A folder path is used as an object or an object as a folder (`a` and `a/b`), which a file system cannot hold. */
  | 'key_conflict';

export class ObjectStoreError extends Error {
  readonly code: ObjectStoreErrorCode;

  constructor(code: ObjectStoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ObjectStoreError';
    this.code = code;
  }
}

export function isObjectStoreError(error: unknown, code?: ObjectStoreErrorCode): error is ObjectStoreError {
  return error instanceof ObjectStoreError && (code === undefined || error.code === code);
}
