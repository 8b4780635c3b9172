/**
 * One span of a trace: a keyset page of its children (tree order: start time, then span id) and its
 * detail — every typed attribute, events, links, resource, scope and the normalised view computed from the
 * full attributes and events (normalizeSpan).
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { ChildCursor, SpanDetailRow, SpanNodeRow } from '@mlrun/storage';
import { countChildren, readChildPage, readNode, readSpanDetail, readTraceSummary, typedAttributes } from '@mlrun/storage';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { normalizeSpan } from '../traces/normalize.js';
import { pricesOf, requireProject } from '../traces-api/context.js';
import { decodeChildCursor, encodeChildCursor } from '../traces-api/cursors.js';
import { SpanDetailSchema, SpanNodeRef, SpanParams } from '../traces-api/schemas.js';
import { isoOfNs, nodeView } from '../traces-api/views.js';

export const MAX_CHILDREN_LIMIT = 1000;

const ChildrenQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: MAX_CHILDREN_LIMIT, default: 500 }),
    cursor: Type.Optional(Type.String({ description: "the previous page's nextCursor" })),
  },
  { additionalProperties: false },
);

const ChildrenResponse = Type.Object({ children: Type.Array(SpanNodeRef, { description: 'children: null on each (fetch their own pages)' }), nextCursor: Type.Union([Type.String(), Type.Null()]) });

type SpanParamsT = Static<typeof SpanParams>;

/** The span's tree row and its trace's start, or 404 naming what is missing (project, trace or span). */
async function locate(deps: QueryDeps, p: SpanParamsT): Promise<{ node: SpanNodeRow; traceStartNs: bigint }> {
  const [summary, node] = await Promise.all([readTraceSummary(deps.clickhouse, p.project, p.traceId), readNode(deps.clickhouse, p.project, p.traceId, p.spanId)]);
  if (summary === null) {
    await requireProject(deps, p.project);
    throw new NotFound(`no trace ${p.traceId} in project ${JSON.stringify(p.project)}`);
  }
  if (node === null) throw new NotFound(`no span ${p.spanId} in trace ${p.traceId}`);
  return { node, traceStartNs: summary.startNs };
}

async function children(deps: QueryDeps, p: SpanParamsT, q: Static<typeof ChildrenQuery>): Promise<Static<typeof ChildrenResponse>> {
  const after: ChildCursor | undefined = q.cursor === undefined ? undefined : decodeChildCursor(p.traceId, p.spanId, q.cursor);
  const { traceStartNs } = await locate(deps, p);
  const page = await readChildPage(deps.clickhouse, { project: p.project, traceId: p.traceId, spanId: p.spanId, limit: q.limit, after });
  const counts = await countChildren(deps.clickhouse, p.project, p.traceId, page.children.map((c) => c.spanId));
  const prices = pricesOf(deps);
  return {
    children: page.children.map((row) => nodeView(row, traceStartNs, counts.get(row.spanId) ?? 0, prices)),
    nextCursor: page.next === null ? null : encodeChildCursor(p.traceId, p.spanId, page.next),
  };
}

function detailView(deps: QueryDeps, node: SpanNodeRow, traceStartNs: bigint, childCount: number, d: SpanDetailRow) {
  const prices = pricesOf(deps);
  const events = d.events.map((e) => ({ name: e.name, attributes: e.attributes }));
  const normalized = normalizeSpan({ name: node.name, kind: node.kind, attributes: d.attributes, events }, prices);
  return {
    span: nodeView(node, traceStartNs, childCount, prices, normalized),
    traceState: d.traceState,
    attributes: typedAttributes(d.attributes),
    resource: typedAttributes(d.resource),
    scope: d.scope,
    events: d.events.map((e) => ({ time: isoOfNs(e.timeNs), name: e.name, attributes: typedAttributes(e.attributes) })),
    links: [...d.links],
    normalized,
    runId: node.runId === '' ? null : node.runId,
    dropped: { attributes: d.droppedAttributesCount, events: d.droppedEventsCount, links: d.droppedLinksCount },
  };
}

async function detail(deps: QueryDeps, p: SpanParamsT) {
  const { node, traceStartNs } = await locate(deps, p);
  const [d, counts] = await Promise.all([
    readSpanDetail(deps.clickhouse, { project: p.project, traceId: p.traceId, spanId: p.spanId, startNs: node.startNs }),
    countChildren(deps.clickhouse, p.project, p.traceId, [p.spanId]),
  ]);
  if (d === null) throw new NotFound(`no span ${p.spanId} in trace ${p.traceId}`);
  return detailView(deps, node, traceStartNs, counts.get(p.spanId) ?? 0, d);
}

export const traceSpanRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/traces/:traceId/spans/:spanId/children',
    { schema: { summary: "A page of a span's children, in start order", tags: ['traces'], params: SpanParams, querystring: ChildrenQuery, response: { 200: ChildrenResponse } } },
    (request) => children(deps, request.params, request.query),
  );
  app.get(
    '/projects/:project/traces/:traceId/spans/:spanId',
    { schema: { summary: 'One span: typed attributes, events, links, resource, scope and the normalised view', tags: ['traces'], params: SpanParams, response: { 200: SpanDetailSchema } } },
    (request) => detail(deps, request.params),
  );
  done();
};
