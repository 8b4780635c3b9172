/**
 * GET and HEAD of one artifact's bytes. Headers come from the record (size, sha256 as the ETag) and the
 * bytes stream from the object store as they arrive, with Range for resuming or sampling big checkpoints.
 * HEAD is its own route: fastify's automatic HEAD would run GET and then drain the whole body.
 */
import type { ArtifactRecord } from '@mlrun/storage';
import { artifactKey, getArtifact, runExists } from '@mlrun/storage';
import type { FastifyReply } from 'fastify';
import type { QueryDeps } from '../app.js';
import { Conflict, NotFound, RangeNotSatisfiable } from '../errors.js';
import { contentDisposition, contentTypeFor, parseRange } from './artifact-http.js';

export interface ArtifactRef {
  readonly project: string;
  readonly runId: string;
  readonly path: string;
}

export interface ReadHeaders {
  readonly range?: string;
  readonly 'if-range'?: string;
  readonly 'if-none-match'?: string;
}

/** The record, or NotFound naming what is missing: the run or the artifact. */
export async function requireArtifact(deps: QueryDeps, ref: ArtifactRef): Promise<ArtifactRecord> {
  const record = await getArtifact(deps.postgres, ref.project, ref.runId, ref.path);
  if (record !== null) return record;
  if (!(await runExists(deps.postgres, ref.project, ref.runId))) throw runNotFound(ref);
  throw new NotFound(`no artifact ${JSON.stringify(ref.path)} in run ${JSON.stringify(ref.runId)}`);
}

export const runNotFound = (ref: { project: string; runId: string }) =>
  new NotFound(`no run ${JSON.stringify(ref.runId)} in project ${JSON.stringify(ref.project)}`);

const etagOf = (record: ArtifactRecord): string | undefined => (record.sha256 === null ? undefined : `"${record.sha256}"`);

function setCommonHeaders(reply: FastifyReply, record: ArtifactRecord): void {
  const etag = etagOf(record);
  if (etag !== undefined) reply.header('etag', etag);
  reply
    .header('content-type', contentTypeFor(record.path))
    .header('content-disposition', contentDisposition(record.path))
    .header('x-content-type-options', 'nosniff')
    .header('accept-ranges', 'bytes');
}

/** HEAD: what GET would send for the whole object, without touching the bytes. */
export async function headArtifact(deps: QueryDeps, ref: ArtifactRef, reply: FastifyReply): Promise<FastifyReply> {
  const record = await requireArtifact(deps, ref);
  setCommonHeaders(reply, record);
  if (record.sizeBytes !== null) reply.header('content-length', String(record.sizeBytes));
  return reply.code(200).send();
}

export async function getArtifactBytes(deps: QueryDeps, ref: ArtifactRef, headers: ReadHeaders, reply: FastifyReply): Promise<FastifyReply> {
  const record = await requireArtifact(deps, ref);
  const etag = etagOf(record);
  if (etag !== undefined && headers['if-none-match']?.split(',').some((v) => v.trim() === etag) === true) return reply.code(304).header('etag', etag).send();
  const size = record.sizeBytes ?? 0;
  const range = parseRange(headers.range, size, etag ?? '', headers['if-range']);
  if (range.kind === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new RangeNotSatisfiable(`the range starts past the end: artifact ${JSON.stringify(ref.path)} has ${size} bytes`);
  }
  const read = await deps.objects.get(artifactKey(ref.project, ref.runId, ref.path), range.kind === 'partial' ? range : undefined);
  if (read === null) {
    reply.log.warn({ project: ref.project, runId: ref.runId, path: ref.path }, 'artifact record without bytes in the object store');
    throw new NotFound(`the bytes of artifact ${JSON.stringify(ref.path)} are missing from the object store`);
  }
  if (record.sizeBytes !== null && read.sizeBytes !== record.sizeBytes) {
    // A re-PUT replaced the bytes between reading the record and opening them: never mix the two versions.
    read.body.destroy();
    throw new Conflict(`artifact ${JSON.stringify(ref.path)} is being replaced; retry`);
  }
  setCommonHeaders(reply, record);
  if (range.kind === 'partial') {
    reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${read.sizeBytes}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else {
    reply.code(200).header('content-length', String(read.sizeBytes));
  }
  return reply.send(read.body);
}
