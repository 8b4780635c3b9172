/**
 * A run's artifacts: files of any size (checkpoints, datasets, plots) whose bytes live in the object store
 * and whose records (path, type, sha256, size) live in the registry.
 *
 *   PUT    /projects/{project}/runs/{runId}/artifacts/{path}   raw body, streamed; 201 with the record
 *   GET    /projects/{project}/runs/{runId}/artifacts          the records, by path, a page at a time
 *   GET    /projects/{project}/runs/{runId}/artifacts/{path}   the bytes (Range, ETag = sha256); HEAD too
 *   DELETE /projects/{project}/runs/{runId}/artifacts/{path}   204
 *
 * The body of a PUT is never parsed or buffered: this plugin's own content-type parser hands the request
 * stream to the store, which hashes and counts it on the way (so any Content-Type is accepted, JSON too).
 * Bytes are stored first and recorded after, so a record always names complete bytes.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { artifactKey, deleteArtifact, listArtifacts, runExists } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { BadRequest, NotFound } from '../errors.js';
import { decodeCursor, encodeCursor } from './artifact-http.js';
import { getArtifactBytes, headArtifact, requireArtifact, runNotFound } from './artifact-read.js';
import { ArtifactParams, ArtifactSchema, artifactPath, toArtifact } from './artifact-schemas.js';
import { putArtifact } from './artifact-write.js';

const MAX_LIST_LIMIT = 1000;
const RunParams = Type.Object({ project: Type.String({ minLength: 1 }), runId: Type.String({ minLength: 1 }) });

const ListQuery = Type.Object(
  {
    prefix: Type.String({ default: '', maxLength: 1024, description: 'only paths starting with this text (checkpoints/)' }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_LIST_LIMIT, default: 100 }),
    cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const artifactRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  // Encapsulated to this plugin: every body, whatever its type, reaches the handler as the raw stream.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, parsed) => parsed(null, payload));

  const base = '/projects/:project/runs/:runId/artifacts';
  app.get(
    base,
    { schema: { summary: "A run's artifacts", tags: ['artifacts'], params: RunParams, querystring: ListQuery, response: { 200: Type.Object({ artifacts: Type.Array(ArtifactSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } } },
    async (request) => {
      const { project, runId } = request.params;
      const { prefix, limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (after === null) throw new BadRequest('cursor is not a nextCursor from this API');
      const rows = await listArtifacts(deps.postgres, { project, runId, prefix, after, limit: limit + 1 });
      // A run that is not registered has no artifacts (records cascade with runs), so only an empty page asks.
      if (rows.length === 0 && !(await runExists(deps.postgres, project, runId))) throw runNotFound({ project, runId });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { artifacts: page.map(toArtifact), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.path) : null };
    },
  );

  putArtifact(app, deps, `${base}/*`);

  app.get(
    `${base}/*`,
    { exposeHeadRoute: false, schema: { summary: "An artifact's bytes (Range supported)", tags: ['artifacts'], params: ArtifactParams } },
    async (request, reply) => getArtifactBytes(deps, artifactPath(request.params), request.headers, reply),
  );
  app.head(
    `${base}/*`,
    { schema: { summary: "An artifact's headers (size, ETag) without its bytes", tags: ['artifacts'], params: ArtifactParams } },
    async (request, reply) => headArtifact(deps, artifactPath(request.params), reply),
  );

  app.delete(
    `${base}/*`,
    { schema: { summary: 'Delete an artifact (record and bytes)', tags: ['artifacts'], params: ArtifactParams } },
    async (request, reply) => {
      const ref = artifactPath(request.params);
      // The record goes first: a failure after it leaves unreferenced bytes, never a record without bytes.
      if (!(await deleteArtifact(deps.postgres, ref.project, ref.runId, ref.path))) {
        await requireArtifact(deps, ref); // throws the precise 404 (run or artifact)
        throw new NotFound(`no artifact ${JSON.stringify(ref.path)}`);
      }
      await deps.objects.delete(artifactKey(ref.project, ref.runId, ref.path));
      return reply.code(204).send();
    },
  );
  done();
};
