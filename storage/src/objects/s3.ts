/**
 * The S3 object store (AWS S3, MinIO, Ceph, moto — anything speaking the S3 API). Uploads go through
 * `@aws-sdk/lib-storage`'s Upload: a body of unknown length is cut into parts of `partSize` bytes, up to
 * QUEUE_SIZE of them in flight, so memory per upload is bounded by (QUEUE_SIZE + 1) × partSize whatever the
 * body's size; a body shorter than one part goes as a single PutObject. When the body fails (too large, a
 * wrong sha256, a client that went away) the multipart upload is aborted and nothing becomes visible.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { PutOptions } from './digest.js';
import { digestStream, feed } from './digest.js';
import { ObjectStoreError } from './errors.js';
import { checkFolder, checkKey, MAX_KEY_BYTES } from './keys.js';
import type { ByteRange, ObjectPingResult, ObjectRead, ObjectStore, StoredObject } from './types.js';

export interface S3StoreOptions {
  readonly kind: 's3';
  /** `http(s)://host:port` of an S3-compatible server; unset = AWS S3 for `region`. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  /** Prepended to every key (a folder: `mlrun/`); lets one bucket hold several installations. */
  readonly prefix?: string;
  /** Both or neither; unset = the SDK's default chain (environment, profile, instance role). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** `bucket` in the path rather than the host name; needed by most self-hosted servers. */
  readonly forcePathStyle?: boolean;
}

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 8 * MIB;
const MAX_PARTS = 10_000;
const QUEUE_SIZE = 4;
const DELETE_BATCH = 1000;

/** Parts of 8 MiB, larger when `maxBytes` would need more than S3's 10,000 parts. */
export function partSizeFor(maxBytes: number | undefined): number {
  if (maxBytes === undefined || !Number.isFinite(maxBytes)) return MIN_PART_SIZE;
  return Math.max(MIN_PART_SIZE, Math.ceil(maxBytes / MAX_PARTS / MIB) * MIB);
}

function clientConfig(options: S3StoreOptions): S3ClientConfig {
  const { accessKeyId, secretAccessKey } = options;
  return {
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    // The SDK's default adds CRC checksums to every upload, which several S3-compatible servers reject;
    // integrity is ours anyway (sha256 computed while streaming, checked against the client's).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

const statusOf = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

export function openS3Store(options: S3StoreOptions): ObjectStore {
  if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
    throw new TypeError('S3 object store: give both accessKeyId and secretAccessKey, or neither');
  }
  const prefix = options.prefix === undefined || options.prefix === '' ? '' : checkFolder(options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`);
  const client = new S3Client(clientConfig(options));
  const bucket = options.bucket;
  const fullKey = (key: string): string => {
    const full = prefix + checkKey(key);
    if (Buffer.byteLength(full) > MAX_KEY_BYTES) throw new ObjectStoreError('invalid_key', `object key ${JSON.stringify(full)} is longer than ${MAX_KEY_BYTES} bytes`);
    return full;
  };
  return {
    kind: 's3',
    description: `s3://${bucket}/${prefix}${options.endpoint === undefined ? '' : ` at ${options.endpoint}`} (${options.region})`,
    // async: a bad key is a rejection like any other failure, never a synchronous throw.
    put: async (key, body, opts) => putObject(client, bucket, fullKey(key), body, opts),
    get: async (key, range) => getObject(client, bucket, fullKey(key), range),
    delete: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
    },
    deletePrefix: async (folder) => deleteFolder(client, bucket, prefix + checkFolder(folder)),
    ping: () => pingBucket(client, bucket),
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  };
}

async function putObject(client: S3Client, bucket: string, key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
  const digest = digestStream(options);
  let bodyError: unknown;
  digest.stream.once('error', (error) => (bodyError = error));
  feed(body, digest.stream);
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: digest.stream, ...(options?.contentType === undefined ? {} : { ContentType: options.contentType }) },
    queueSize: QUEUE_SIZE,
    partSize: partSizeFor(options?.maxBytes),
    leavePartsOnError: false,
  });
  try {
    await upload.done();
  } catch (error) {
    digest.stream.destroy();
    // The body's own failure (too_large, checksum_mismatch, a client gone) says more than the SDK's wrapping.
    throw bodyError ?? error;
  }
  return { uri: `s3://${bucket}/${key}`, ...digest.digest() };
}

async function getObject(client: S3Client, bucket: string, key: string, range?: ByteRange): Promise<ObjectRead | null> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }) }));
    if (!(out.Body instanceof Readable)) throw new Error(`S3 GetObject ${key}: body is not a Node stream`);
    // With a range, the whole size is the part after '/' of Content-Range (`bytes 0-99/1234`).
    const total = out.ContentRange === undefined ? out.ContentLength : Number(out.ContentRange.split('/')[1]);
    return { body: out.Body, sizeBytes: total ?? 0, ...(out.ContentType === undefined ? {} : { contentType: out.ContentType }) };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return null;
    if (status === 416) return emptyRange(client, bucket, key);
    throw error;
  }
}

/** A range wholly past the end (S3 answers 416): no bytes, and the object's size from HeadObject. */
async function emptyRange(client: S3Client, bucket: string, key: string): Promise<ObjectRead | null> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { body: Readable.from([]), sizeBytes: head.ContentLength ?? 0 };
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

async function deleteFolder(client: S3Client, bucket: string, folder: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, MaxKeys: DELETE_BATCH, ContinuationToken: token }));
    const objects = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
    if (objects.length > 0) {
      const out = await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      const failed = out.Errors ?? [];
      if (failed.length > 0) throw new Error(`S3 DeleteObjects under ${folder}: ${failed.length} failed, first ${failed[0]?.Key ?? '?'}: ${failed[0]?.Message ?? failed[0]?.Code ?? ''}`);
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

async function pingBucket(client: S3Client, bucket: string): Promise<ObjectPingResult> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return { ok: true };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    return { ok: false, error: new Error(`S3 bucket ${bucket} does not answer: ${reason}`, { cause }) };
  }
}
