/**
 * The local object store: one file per key under a root folder (embedded mode: `<dataDir>/artifacts`).
 * Keys map to paths segment by segment after the key rules (./keys.ts) and a final check that the path
 * stays under the root. A body is written to a temp file beside its target (`.mlrun-<random>.part`, same
 * folder so same file system), fsynced, then renamed over the target: readers see the old object or the new
 * one, never a half-written file. Folders emptied by a delete are removed, so `a` can be written after
 * `a/b` was deleted.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { access, constants, mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { PutOptions } from './digest.js';
import { digestStream, feed } from './digest.js';
import { ObjectStoreError } from './errors.js';
import { checkFolder, checkKey } from './keys.js';
import type { ByteRange, ObjectPingResult, ObjectRead, ObjectStore, StoredObject } from './types.js';

export interface LocalStoreOptions {
  readonly kind: 'local';
  /** The root folder; created when missing. */
  readonly dir: string;
}

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

function conflict(key: string, cause: unknown): ObjectStoreError {
  return new ObjectStoreError('key_conflict', `object key ${JSON.stringify(key)} conflicts with an existing object or folder`, { cause });
}

export async function openLocalStore(options: LocalStoreOptions): Promise<ObjectStore> {
  const root = resolve(options.dir);
  await mkdir(root, { recursive: true });
  const pathOf = (key: string): string => {
    const path = join(root, ...key.split('/'));
    // Belt and braces over checkKey: nothing may resolve outside the root.
    if (!path.startsWith(root + sep)) throw new ObjectStoreError('invalid_key', `object key ${JSON.stringify(key)} leaves the store`);
    return path;
  };
  return {
    kind: 'local',
    description: `local folder ${root}`,
    // async: a bad key is a rejection like any other failure, never a synchronous throw.
    put: async (key, body, opts) => putFile(root, pathOf(checkKey(key)), key, body, opts),
    get: async (key, range) => readFile(pathOf(checkKey(key)), range),
    delete: async (key) => {
      const path = pathOf(checkKey(key));
      await rm(path, { force: true });
      await pruneEmptyFolders(root, dirname(path));
    },
    deletePrefix: async (prefix) => {
      const path = pathOf(checkFolder(prefix).slice(0, -1));
      await rm(path, { recursive: true, force: true });
      await pruneEmptyFolders(root, dirname(path));
    },
    ping: () => pingFolder(root),
    close: async () => {},
  };
}

async function putFile(root: string, path: string, key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
  const temp = join(dirname(path), `.mlrun-${randomBytes(8).toString('hex')}.part`);
  const handle = await openTemp(temp, key);
  const digest = digestStream(options);
  feed(body, digest.stream);
  try {
    await pipeline(digest.stream, handle.createWriteStream({ flush: true }));
    await rename(temp, path).catch((error: unknown) => {
      throw errnoOf(error) === 'EISDIR' || errnoOf(error) === 'ENOTDIR' ? conflict(key, error) : error;
    });
  } catch (error) {
    await rm(temp, { force: true });
    await pruneEmptyFolders(root, dirname(path));
    throw error;
  }
  await syncFolder(dirname(path));
  return { uri: pathToFileURL(path).href, ...digest.digest() };
}

/**
 * Creates the temp file's folder and the file. A concurrent delete may remove the freshly made (still
 * empty) folder before the file exists, so that one race is met by making the folder again, once.
 */
async function openTemp(temp: string, key: string): Promise<FileHandle> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dirname(temp), { recursive: true });
      return await open(temp, 'wx');
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOTDIR' || code === 'EEXIST') throw conflict(key, error);
      if (code !== 'ENOENT' || attempt > 0) throw error;
    }
  }
}

async function readFile(path: string, range?: ByteRange): Promise<ObjectRead | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
  // Size and bytes come from the same open file: a concurrent replace (a rename) does not mix two objects.
  const stat = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stat.isFile()) {
    await handle.close();
    return null;
  }
  const body = handle.createReadStream(range === undefined ? {} : { start: range.start, end: range.end });
  return { body, sizeBytes: stat.size };
}

/** Removes `folder` and its parents while they are empty, never the root itself. */
async function pruneEmptyFolders(root: string, folder: string): Promise<void> {
  for (let current = folder; current.startsWith(root + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch (error) {
      // Not empty (or not a folder): nor are its parents. Already gone: its parent may now be empty.
      if (errnoOf(error) !== 'ENOENT') return;
    }
  }
}

/** A rename is durable once its folder's entry is on disk. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function pingFolder(root: string): Promise<ObjectPingResult> {
  try {
    await access(root, constants.W_OK);
    return { ok: true };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: new Error(`object store ${root} is not writable: ${reason}`, { cause }) };
  }
}
