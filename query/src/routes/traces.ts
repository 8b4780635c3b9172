/**
 * Traces of a project: search (newest first, filters, keyset pages), the first page of one trace's tree,
 * and the traces of a run. Trace summaries come from `trace_summaries` (storage/src/traces/search.ts); the
 * tree from `span_tree` (traces-api/tree.ts). Routing: `traces/stats` is a static segment and trace ids are
 * 32 hex digits, so the two never collide.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { readTraceSummary, runExists, searchTraces } from '@mlrun/storage';
import type { TraceCursor, TracePage } from '@mlrun/storage';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { ProjectParams, RunParams } from '../schemas/run.js';
import { msOf, parseSpanFilter, pricesOf, requireProject } from '../traces-api/context.js';
import { decodeTraceCursor, encodeTraceCursor } from '../traces-api/cursors.js';
import { SpanNodeRef, TimeRange, TraceListSchema, TraceParams, TraceSummarySchema } from '../traces-api/schemas.js';
import { treePage } from '../traces-api/tree.js';
import { summaryView } from '../traces-api/views.js';

/** ~31.7 years: longer than any stored span, well inside Int64 nanoseconds. */
const MAX_DURATION_MS = 1e12;

export const MAX_TRACES_LIMIT = 500;
export const MAX_TREE_DEPTH = 20;
export const MAX_TREE_LIMIT = 1000;

const Limit = Type.Integer({ minimum: 1, maximum: MAX_TRACES_LIMIT, default: 50 });
const Cursor = Type.Optional(Type.String({ description: "the previous page's nextCursor" }));

const SearchQuery = Type.Object(
  {
    ...TimeRange,
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'some span of the trace comes from this service' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'some span of the trace (the root or another) has this name' })),
    status: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('unset')], { description: 'error: a span failed; ok: none failed and one says ok; unset: no span set a status' })),
    minDurationMs: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_DURATION_MS })),
    maxDurationMs: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_DURATION_MS })),
    runId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'some span of the trace belongs to this run' })),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'some span of the trace named this model' })),
    filter: Type.String({ default: '', maxLength: 4096, description: 'the filter language over span fields (name, service, status, duration, attr.<key>, resource.<key>); a trace matches when one span matches' }),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

const TreeQuery = Type.Object(
  {
    depth: Type.Integer({ minimum: 1, maximum: MAX_TREE_DEPTH, default: 2, description: 'levels loaded (roots are level 1); deeper nodes have children: null' }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_TREE_LIMIT, default: 200, description: 'most nodes per list (roots, each children list)' }),
  },
  { additionalProperties: false },
);

const TreeResponse = Type.Object({
  trace: TraceSummarySchema,
  roots: Type.Array(SpanNodeRef),
  truncated: Type.Boolean({ description: 'a list had more than limit nodes, or levels were left unloaded to keep the page under 10,000 nodes' }),
});

const RunTracesQuery = Type.Object({ limit: Limit, cursor: Cursor }, { additionalProperties: false });

function listView(deps: QueryDeps, page: TracePage): Static<typeof TraceListSchema> {
  const prices = pricesOf(deps);
  return { traces: page.traces.map((t) => summaryView(t, prices)), nextCursor: page.next === null ? null : encodeTraceCursor(page.next) };
}

async function search(deps: QueryDeps, project: string, q: Static<typeof SearchQuery>): Promise<Static<typeof TraceListSchema>> {
  const filter = parseSpanFilter(q.filter);
  const after: TraceCursor | undefined = q.cursor === undefined ? undefined : decodeTraceCursor(q.cursor);
  await requireProject(deps, project);
  const page = await searchTraces(deps.clickhouse, {
    project,
    fromMs: msOf(q.from, 'from'),
    toMs: msOf(q.to, 'to'),
    service: q.service,
    name: q.name,
    status: q.status,
    minDurationMs: q.minDurationMs,
    maxDurationMs: q.maxDurationMs,
    runId: q.runId,
    model: q.model,
    filter,
    limit: q.limit,
    after,
  });
  return listView(deps, page);
}

async function tree(deps: QueryDeps, project: string, traceId: string, q: Static<typeof TreeQuery>) {
  const summary = await readTraceSummary(deps.clickhouse, project, traceId);
  if (summary === null) {
    await requireProject(deps, project);
    throw new NotFound(`no trace ${traceId} in project ${JSON.stringify(project)}`);
  }
  const prices = pricesOf(deps);
  const page = await treePage(deps.clickhouse, { project, traceId, traceStartNs: summary.startNs, depth: q.depth, limit: q.limit, prices });
  return { trace: summaryView(summary, prices), ...page };
}

async function runTraces(deps: QueryDeps, project: string, runId: string, q: Static<typeof RunTracesQuery>): Promise<Static<typeof TraceListSchema>> {
  const after = q.cursor === undefined ? undefined : decodeTraceCursor(q.cursor);
  if (!(await runExists(deps.postgres, project, runId))) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
  return listView(deps, await searchTraces(deps.clickhouse, { project, runId, filter: null, limit: q.limit, after }));
}

export const traceRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/traces',
    { schema: { summary: 'Traces of a project, newest first: filters, keyset pages', tags: ['traces'], params: ProjectParams, querystring: SearchQuery, response: { 200: TraceListSchema } } },
    (request) => search(deps, request.params.project, request.query),
  );
  app.get(
    '/projects/:project/traces/:traceId',
    { schema: { summary: "A trace's summary and the first levels of its span tree", tags: ['traces'], params: TraceParams, querystring: TreeQuery, response: { 200: TreeResponse } } },
    (request) => tree(deps, request.params.project, request.params.traceId, request.query),
  );
  app.get(
    '/projects/:project/runs/:runId/traces',
    { schema: { summary: 'Traces with spans of a run, newest first', tags: ['traces', 'runs'], params: RunParams, querystring: RunTracesQuery, response: { 200: TraceListSchema } } },
    (request) => runTraces(deps, request.params.project, request.params.runId, request.query),
  );
  done();
};
