/**
 * The runs of a project: the list (filter language, sort, keyset cursor, columns, total), one run, edits
 * of its metadata, and deletion (registry row, artifact bytes and records, and its telemetry).
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Filter, MetricSummary, RunListPage, SortSpec } from '@mlrun/storage';
import { compileFilter, compileSort, countRuns, deleteRunTelemetry, FilterCompileError, getRun, listRuns, projectExists, readRunSummaries, readSummariesForRuns, RUN_LIST_TARGET, runKeyPrefix } from '@mlrun/storage';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { QueryDeps } from '../app.js';
import { crashAfterMs } from '../runs/crash.js';
import { filterSyntax, NotFound } from '../errors.js';
import { parseFilter } from '../filter/parser.js';
import { parseSort } from '../filter/sort.js';
import { parseColumns } from '../runs/columns.js';
import { decodeCursor, encodeCursor } from '../runs/cursor.js';
import { listRunView, runView } from '../runs/view.js';
import { ProjectParams, RunParams, RunSchema } from '../schemas/run.js';

export const MAX_RUNS_LIMIT = 1000;

const ListQuery = Type.Object(
  {
    filter: Type.String({ default: '', maxLength: 4096, description: 'the filter language (docs/filter-language.md)' }),
    sort: Type.String({ default: '', maxLength: 4096, description: 'e.g. `summary.val/loss.last asc, created desc`; default newest first' }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_RUNS_LIMIT, default: 50 }),
    cursor: Type.Optional(Type.String({ description: "the previous page's nextCursor" })),
    columns: Type.Optional(Type.String({ description: 'config.<path> and summary.<key>, comma-separated; absent: everything; empty: neither' })),
    total: Type.Boolean({ default: true, description: 'count every matching run (one more query)' }),
  },
  { additionalProperties: false },
);

const ListResponse = Type.Object({
  runs: Type.Array(RunSchema),
  total: Type.Union([Type.Integer(), Type.Null()], { description: 'matching runs; null when total=false' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const PatchBody = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()])),
    group: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()])),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 256 })),
    notes: Type.Optional(Type.Union([Type.String({ maxLength: 65_536 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

function parseListInputs(filterText: string, sortText: string): { filter: Filter; sort: SortSpec } {
  const filter = parseFilter(filterText);
  if (!filter.ok) throw filterSyntax({ parameter: 'filter', position: filter.error.position, expected: filter.error.expected }, filter.error.message);
  const sort = parseSort(sortText);
  if (!sort.ok) throw filterSyntax({ parameter: 'sort', position: sort.error.position, expected: sort.error.expected }, sort.error.message);
  try {
    compileFilter(filter.ast, RUN_LIST_TARGET);
    compileSort(sort.sort, RUN_LIST_TARGET);
  } catch (error) {
    if (!(error instanceof FilterCompileError)) throw error;
    throw filterSyntax({ parameter: 'filter', position: error.position }, error.message);
  }
  return { filter: filter.ast, sort: sort.sort };
}

async function listPage(deps: QueryDeps, project: string, q: Static<typeof ListQuery>): Promise<Static<typeof ListResponse>> {
  const { clickhouse: ch, postgres: pg } = deps;
  const { filter, sort } = parseListInputs(q.filter, q.sort);
  const columns = parseColumns(q.columns);
  if (!columns.ok) throw filterSyntax({ parameter: 'columns', position: columns.position }, columns.message);
  let after;
  if (q.cursor !== undefined) {
    const decoded = decodeCursor(q.sort, q.cursor);
    if (!decoded.ok) throw filterSyntax({ parameter: 'cursor' }, decoded.message);
    after = decoded.values;
  }
  if (!(await projectExists(pg, project))) throw new NotFound(`no project ${JSON.stringify(project)}`);
  const base = { project, filter, crashAfterMs: crashAfterMs(deps), nowMs: Date.now() };
  let page: RunListPage;
  let total: number | null;
  try {
    // A first page counts its matches in the same statement; a page after a cursor needs a count of its own.
    page = await listRuns(ch, { ...base, sort, limit: q.limit, after, withTotal: q.total });
    total = !q.total ? null : (page.total ?? (await countRuns(ch, base)));
  } catch (error) {
    if (error instanceof RangeError) throw filterSyntax({ parameter: 'cursor' }, 'not a cursor returned by this API');
    throw error;
  }
  const wanted = columns.columns.summary;
  const summaries =
    wanted !== null && wanted.length === 0
      ? []
      : await readSummariesForRuns(ch, { project, runIds: page.runs.map((r) => r.id), ...(wanted === null ? {} : { keys: wanted }) });
  const byRun = new Map<string, MetricSummary[]>();
  for (const s of summaries) byRun.set(s.runId, [...(byRun.get(s.runId) ?? []), s]);
  return {
    runs: page.runs.map((row) => listRunView(row, columns.columns, byRun.get(row.id) ?? [])),
    total,
    nextCursor: page.next === null ? null : encodeCursor(q.sort, page.next),
  };
}

export const runRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  const { clickhouse: ch, postgres: pg } = deps;

  app.get(
    '/projects/:project/runs',
    { schema: { summary: 'Runs of a project: filter, sort, keyset pages', tags: ['runs'], params: ProjectParams, querystring: ListQuery, response: { 200: ListResponse } } },
    (request) => listPage(deps, request.params.project, request.query),
  );

  app.get(
    '/projects/:project/runs/:runId',
    { schema: { summary: 'One run: metadata, config, summaries, host', tags: ['runs'], params: RunParams, response: { 200: RunSchema } } },
    async (request) => {
      const { project, runId } = request.params;
      const record = await getRun(pg, project, runId);
      if (!record) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
      return runView(record, await readRunSummaries(ch, { project, runId }), Date.now(), crashAfterMs(deps));
    },
  );

  app.patch(
    '/projects/:project/runs/:runId',
    { schema: { summary: "Edit a run's name, group, tags or notes", tags: ['runs'], params: RunParams, body: PatchBody, response: { 200: RunSchema } } },
    async (request) => {
      const { project, runId } = request.params;
      const record = await deps.registry.patch(project, runId, request.body);
      if (!record) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
      return runView(record, await readRunSummaries(ch, { project, runId }), Date.now(), crashAfterMs(deps));
    },
  );

  app.delete(
    '/projects/:project/runs/:runId',
    { schema: { summary: 'Delete a run: registry entry, artifacts and telemetry', tags: ['runs'], params: RunParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { project, runId } = request.params;
      if (!(await deps.registry.delete(project, runId))) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
      await Promise.all([deps.objects.deletePrefix(runKeyPrefix(project, runId)), deleteRunTelemetry(ch, project, runId)]);
      return reply.code(204).send(null);
    },
  );

  done();
};
