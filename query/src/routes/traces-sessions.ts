/**
 * Sessions (conversations) and project trace statistics. A session is the traces whose spans carry one
 * session id (gen_ai.conversation.id, session.id or mlflow.trace.session); the list is newest activity
 * first with keyset pages, one session is its traces oldest first. Stats add up span counts, usage and
 * cost per model, latency per span name and the error rate over a time range (and a run).
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { listSessions, MAX_SESSION_TRACES, readSession, readTraceStats } from '@mlrun/storage';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { ProjectParams } from '../schemas/run.js';
import { msOf, pricesOf, requireProject } from '../traces-api/context.js';
import { decodeSessionCursor, encodeSessionCursor } from '../traces-api/cursors.js';
import { SessionParams, SessionSchema, StatsSchema, TimeRange, TraceSummarySchema } from '../traces-api/schemas.js';
import { costOf, sessionView, summaryView } from '../traces-api/views.js';

export const MAX_SESSIONS_LIMIT = 500;

const SessionsQuery = Type.Object(
  {
    ...TimeRange,
    limit: Type.Integer({ minimum: 1, maximum: MAX_SESSIONS_LIMIT, default: 50 }),
    cursor: Type.Optional(Type.String({ description: "the previous page's nextCursor" })),
  },
  { additionalProperties: false },
);
const SessionsResponse = Type.Object({ sessions: Type.Array(SessionSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });
const SessionResponse = Type.Object({
  sessionId: Type.String(),
  traces: Type.Array(TraceSummarySchema, { description: 'oldest first' }),
  truncated: Type.Boolean({ description: `more than ${MAX_SESSION_TRACES} traces; the oldest are listed` }),
});
const StatsQuery = Type.Object(
  { ...TimeRange, runId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'spans of this run only' })) },
  { additionalProperties: false },
);

async function sessions(deps: QueryDeps, project: string, q: Static<typeof SessionsQuery>): Promise<Static<typeof SessionsResponse>> {
  const after = q.cursor === undefined ? undefined : decodeSessionCursor(q.cursor);
  await requireProject(deps, project);
  const page = await listSessions(deps.clickhouse, { project, fromMs: msOf(q.from, 'from'), toMs: msOf(q.to, 'to'), limit: q.limit, after });
  const prices = pricesOf(deps);
  return { sessions: page.sessions.map((s) => sessionView(s, prices)), nextCursor: page.next === null ? null : encodeSessionCursor(page.next) };
}

async function session(deps: QueryDeps, project: string, sessionId: string): Promise<Static<typeof SessionResponse>> {
  const found = await readSession(deps.clickhouse, project, sessionId);
  if (found.traces.length === 0) {
    await requireProject(deps, project);
    throw new NotFound(`no session ${JSON.stringify(sessionId)} in project ${JSON.stringify(project)}`);
  }
  const prices = pricesOf(deps);
  return { sessionId, traces: found.traces.map((t) => summaryView(t, prices)), truncated: found.truncated };
}

async function stats(deps: QueryDeps, project: string, q: Static<typeof StatsQuery>): Promise<Static<typeof StatsSchema>> {
  await requireProject(deps, project);
  const s = await readTraceStats(deps.clickhouse, { project, fromMs: msOf(q.from, 'from'), toMs: msOf(q.to, 'to'), runId: q.runId });
  const prices = pricesOf(deps);
  return {
    byModel: s.byModel.map((m) => ({
      model: m.model,
      spans: m.spans,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      cost: costOf([{ model: m.model, inputTokens: m.unpricedInputTokens, outputTokens: m.unpricedOutputTokens }], m.reportedCost, m.reportedSpans, prices),
    })),
    bySpanName: s.bySpanName.map((n) => ({ ...n })),
    errorRate: s.spanCount === 0 ? 0 : s.errorCount / s.spanCount,
    traceCount: s.traceCount,
    spanCount: s.spanCount,
  };
}

export const traceSessionRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/sessions',
    { schema: { summary: 'Sessions (conversations) of a project, newest activity first', tags: ['traces'], params: ProjectParams, querystring: SessionsQuery, response: { 200: SessionsResponse } } },
    (request) => sessions(deps, request.params.project, request.query),
  );
  app.get(
    '/projects/:project/sessions/:sessionId',
    { schema: { summary: "A session's traces, oldest first", tags: ['traces'], params: SessionParams, response: { 200: SessionResponse } } },
    (request) => session(deps, request.params.project, request.params.sessionId),
  );
  app.get(
    '/projects/:project/traces/stats',
    { schema: { summary: 'Usage and cost by model, latency by span name, error rate', tags: ['traces'], params: ProjectParams, querystring: StatsQuery, response: { 200: StatsSchema } } },
    (request) => stats(deps, request.params.project, request.query),
  );
  done();
};
