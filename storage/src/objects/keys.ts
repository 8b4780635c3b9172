/**
 * Object keys: `/`-separated, relative, and the same on S3 and on a file system. The rules are the
 * intersection of what both hold safely, so an artifact accepted in embedded mode is accepted in server
 * mode and the other way round:
 *
 * - 1 to 1024 bytes of UTF-8 (S3's limit), segments of 1 to 255 bytes (a file name's limit);
 * - no empty segment (no leading, trailing or doubled `/`, so no absolute path), no `.` or `..` segment;
 * - no NUL or other control character, no `\` (a separator on Windows, so never a safe file name part).
 *
 * Artifacts live at `<project>/<runId>/<path>`. Project and run ids are arbitrary text, so each is encoded
 * into exactly one segment (percent-encoding, leading `.` as `%2E`): `a/b` + `c` and `a` + `b/c` can never
 * share a prefix, and deleting one run's folder can never touch another run's objects.
 */
import { ObjectStoreError } from './errors.js';

export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

// eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** The problem with a relative `/`-separated path, or null when it follows the key rules. */
export function keyProblem(key: string): string | null {
  if (key === '') return 'is empty';
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes`;
  if (FORBIDDEN.test(key)) return 'contains a control character or a backslash';
  for (const segment of key.split('/')) {
    if (segment === '') return key.startsWith('/') ? 'is absolute' : 'has an empty segment (a leading, trailing or doubled /)';
    if (segment === '.' || segment === '..') return `has a '${segment}' segment`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return null;
}

/** Throws ObjectStoreError('invalid_key') unless `key` follows the key rules. */
export function checkKey(key: string, what = 'object key'): string {
  const problem = keyProblem(key);
  if (problem !== null) throw new ObjectStoreError('invalid_key', `${what} ${JSON.stringify(key)} ${problem}`);
  return key;
}

/** A folder prefix (`a/b/`): a valid key followed by one `/`. */
export function checkFolder(prefix: string): string {
  if (!prefix.endsWith('/')) throw new ObjectStoreError('invalid_key', `folder prefix ${JSON.stringify(prefix)} must end with /`);
  checkKey(prefix.slice(0, -1), 'folder prefix');
  return prefix;
}

/** One id as one key segment, injectively (see the module comment). */
export function idSegment(id: string): string {
  if (id === '') throw new ObjectStoreError('invalid_key', 'project and run ids must not be empty');
  return encodeURIComponent(id).replace(/^\./, '%2E');
}

/** The folder of a run's artifacts: `<project>/<runId>/`. */
export function runKeyPrefix(project: string, runId: string): string {
  return `${idSegment(project)}/${idSegment(runId)}/`;
}

/** Where an artifact's bytes live: `<project>/<runId>/<path>`, the whole key checked. */
export function artifactKey(project: string, runId: string, path: string): string {
  checkKey(path, 'artifact path');
  return checkKey(runKeyPrefix(project, runId) + path);
}
