/**
 * PUT of an artifact: the request stream goes to the object store, which hashes and counts it on the way,
 * then the record is written. Refusals that need no bytes (unknown run, a declared Content-Length over the
 * limit, a folder/file clash) come first, before any byte is read. A body over the limit or with another
 * sha256 than `x-mlrun-sha256` fails inside the store before its end, so nothing is stored or recorded and
 * an earlier version of the artifact is left as it was.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { StoredObject } from '@mlrun/storage';
import { artifactKey, conflictingArtifactPath, isObjectStoreError, runExists, upsertArtifact } from '@mlrun/storage';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { BadRequest, Conflict, PayloadTooLarge } from '../errors.js';
import { contentTypeFor } from './artifact-http.js';
import { runNotFound } from './artifact-read.js';
import type { ArtifactRef } from './artifact-read.js';
import { ArtifactParams, ArtifactSchema, artifactPath, DEFAULT_MAX_ARTIFACT_BYTES, toArtifact } from './artifact-schemas.js';

type App = Parameters<FastifyPluginCallbackTypebox>[0];

const ArtifactType = Type.String({ pattern: '^[A-Za-z0-9][\\w.-]{0,63}$', description: 'model, dataset, checkpoint, … (letters, digits, _ . -; at most 64)' });

const PutHeaders = Type.Object({
  'x-mlrun-artifact-type': Type.Optional(ArtifactType),
  'x-mlrun-sha256': Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'hex sha256 of the body; a body that does not match is refused (400) and nothing is stored' })),
});

interface PutRequest {
  readonly ref: ArtifactRef;
  readonly body: Readable;
  readonly type: string | null;
  readonly sha256: string | undefined;
  readonly declaredBytes: number | undefined;
}

export function putArtifact(app: App, deps: QueryDeps, url: string): void {
  app.put(
    url,
    {
      schema: {
        summary: 'Upload an artifact (raw body, streamed; replaces the same path)',
        tags: ['artifacts'],
        params: ArtifactParams,
        querystring: Type.Object({ type: Type.Optional(ArtifactType) }, { additionalProperties: false }),
        headers: PutHeaders,
        response: { 201: ArtifactSchema },
      },
    },
    async (request, reply) => {
      const headerType = request.headers['x-mlrun-artifact-type'];
      const queryType = request.query.type;
      const body = request.body instanceof Readable ? request.body : undefined;
      try {
        if (headerType !== undefined && queryType !== undefined && headerType !== queryType) {
          throw new BadRequest(`x-mlrun-artifact-type (${headerType}) and ?type= (${queryType}) differ; give one`);
        }
        const encoding = request.headers['content-encoding'];
        if (encoding !== undefined && encoding !== 'identity') throw new BadRequest(`Content-Encoding ${encoding} is not supported: send the bytes as they are`);
        const length = request.headers['content-length'];
        const stored = await store(deps, {
          ref: artifactPath(request.params),
          // Without a body (Content-Length: 0) fastify calls no parser: an empty artifact.
          body: body ?? Readable.from([]),
          type: headerType ?? queryType ?? null,
          sha256: request.headers['x-mlrun-sha256']?.toLowerCase(),
          declaredBytes: length === undefined ? undefined : Number(length),
        });
        return await reply.code(201).send(stored);
      } catch (error) {
        throw refusal(error, body, reply);
      }
    },
  );
}

async function store(deps: QueryDeps, put: PutRequest) {
  const { project, runId, path } = put.ref;
  const maxBytes = deps.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  if (put.declaredBytes !== undefined && put.declaredBytes > maxBytes) throw tooLarge(maxBytes);
  if (!(await runExists(deps.postgres, project, runId))) throw runNotFound(put.ref);
  const clash = await conflictingArtifactPath(deps.postgres, project, runId, path);
  if (clash !== null) throw new Conflict(`artifact path ${JSON.stringify(path)} clashes with artifact ${JSON.stringify(clash)}: a path cannot be both a file and a folder`);
  const key = artifactKey(project, runId, path);
  const stored: StoredObject = await deps.objects.put(key, put.body, { maxBytes, contentType: contentTypeFor(path), ...(put.sha256 === undefined ? {} : { expectedSha256: put.sha256 }) });
  const record = await upsertArtifact(deps.postgres, { project, runId, path, type: put.type, uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes });
  if (record === null) {
    // The run was deleted while its bytes were uploading.
    await deps.objects.delete(key);
    throw runNotFound(put.ref);
  }
  return toArtifact(record);
}

const tooLarge = (maxBytes: number) => new PayloadTooLarge(`artifact is larger than the limit of ${maxBytes} bytes`);

/** The coded error for a failed PUT; the connection closes after the answer when the body was not all read. */
function refusal(error: unknown, body: Readable | undefined, reply: FastifyReply): unknown {
  // Draining the rest of a large upload only to discard it would tie the connection up for nothing.
  if (body !== undefined && !body.readableEnded) reply.header('connection', 'close');
  if (!isObjectStoreError(error)) {
    // A client that went away mid-upload is not a server failure (nobody will read this answer anyway).
    if (body?.destroyed === true && !body.readableEnded) return new BadRequest('the upload ended before its body did; nothing was stored');
    return error;
  }
  switch (error.code) {
    case 'too_large':
      return new PayloadTooLarge(error.message.replace(/^body/, 'artifact'));
    case 'checksum_mismatch':
      return new BadRequest(`x-mlrun-sha256 does not match the body: ${error.message}; nothing was stored`);
    case 'key_conflict':
      return new Conflict(error.message);
    case 'invalid_key':
      return new BadRequest(error.message);
  }
}
