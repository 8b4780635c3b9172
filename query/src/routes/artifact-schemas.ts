/** Schemas and request helpers shared by the artifact routes. */
import type { ArtifactRecord } from '@mlrun/storage';
import { keyProblem } from '@mlrun/storage';
import { Type } from 'typebox';
import { BadRequest } from '../errors.js';

/** The largest artifact a PUT accepts unless QueryDeps.maxArtifactBytes says otherwise: 10 GiB. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 10 * 1024 ** 3;

export const ArtifactSchema = Type.Object({
  path: Type.String(),
  type: Type.Union([Type.String(), Type.Null()]),
  uri: Type.String({ description: 'where the bytes are: file:///… (embedded) or s3://bucket/key' }),
  sha256: Type.Union([Type.String(), Type.Null()]),
  sizeBytes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time', description: 'when this version was stored' }),
});

export const toArtifact = (r: ArtifactRecord) => ({ path: r.path, type: r.type, uri: r.uri, sha256: r.sha256, sizeBytes: r.sizeBytes, createdAt: r.createdAt });

export const ArtifactParams = Type.Object({
  project: Type.String({ minLength: 1 }),
  runId: Type.String({ minLength: 1 }),
  '*': Type.String({ description: 'the artifact path: relative, /-separated, no . or .. segments' }),
});

/** The artifact path of a request, checked against the object key rules (400 when it breaks one). */
export function artifactPath(params: { project: string; runId: string; '*': string }) {
  const path = params['*'];
  const problem = keyProblem(path);
  if (problem !== null) throw new BadRequest(`artifact path ${JSON.stringify(path)} ${problem}`);
  return { project: params.project, runId: params.runId, path };
}
