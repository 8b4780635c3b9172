/**
 * POST /api/v1/projects/{project}/compare — N runs side by side: their metadata, every config key with
 * each run's value and whether they differ, and every metric's summary per run.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Json, JsonObject, MetricSummary } from '@mlrun/storage';
import { getRuns, readSummariesForRuns } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { configAt, formatPath } from '../runs/columns.js';
import { crashAfterMs } from '../runs/crash.js';
import type { SummaryView } from '../runs/view.js';
import { runView, summaryViews } from '../runs/view.js';
import { ProjectParams, RunSchema, SummarySchema } from '../schemas/run.js';

export const MAX_COMPARE_RUNS = 100;

const CompareBody = Type.Object(
  {
    runs: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: MAX_COMPARE_RUNS, uniqueItems: true }),
    differentOnly: Type.Boolean({ default: false, description: 'only config keys whose values differ' }),
    keys: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000, description: 'metric keys to summarise; default every key' })),
  },
  { additionalProperties: false },
);

const CompareResponse = Type.Object({
  runs: Type.Array(Type.Omit(RunSchema, ['config', 'summary', 'host'])),
  config: Type.Array(
    Type.Object({
      key: Type.String({ description: 'config.<key> in the filter language' }),
      path: Type.Array(Type.String()),
      values: Type.Array(Type.Unknown(), { description: "each run's value, in the order of `runs` (null when missing)" }),
      present: Type.Array(Type.Boolean(), { description: 'whether each run has the key' }),
      differs: Type.Boolean(),
    }),
  ),
  metrics: Type.Array(Type.Object({ key: Type.String(), values: Type.Array(Type.Union([SummarySchema, Type.Null()])) })),
});

/** Every leaf path of the configs, ordered by how the filter language spells them. */
function leafPaths(configs: readonly JsonObject[]): string[][] {
  const seen = new Map<string, string[]>();
  const walk = (value: Json, path: string[]): void => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else if (path.length > 0) seen.set(JSON.stringify(path), path);
  };
  for (const config of configs) walk(config, []);
  return [...seen.values()].map((path) => ({ path, key: formatPath(path) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((p) => p.path);
}

export const compareRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.post(
    '/projects/:project/compare',
    { schema: { summary: 'Config diff and summary table for N runs', tags: ['runs'], params: ProjectParams, body: CompareBody, response: { 200: CompareResponse } } },
    async (request) => {
      const { project } = request.params;
      const { runs: ids, differentOnly, keys } = request.body;
      const records = await getRuns(deps.postgres, project, ids);
      if (records.length < ids.length) {
        const found = new Set(records.map((r) => r.id));
        throw new NotFound(`no run ${ids.filter((id) => !found.has(id)).map((id) => JSON.stringify(id)).join(', ')} in project ${JSON.stringify(project)}`);
      }
      const summaries = await readSummariesForRuns(deps.clickhouse, { project, runIds: ids, ...(keys ? { keys } : {}) });
      const byRun = new Map<string, MetricSummary[]>();
      for (const s of summaries) byRun.set(s.runId, [...(byRun.get(s.runId) ?? []), s]);
      const now = Date.now();
      const views = records.map((r) => summaryViews(byRun.get(r.id) ?? [], r.summary, keys ?? null));
      const config = leafPaths(records.map((r) => r.config)).map((path) => {
        const cells = records.map((r) => configAt(r.config, path));
        const distinct = new Set(cells.map((c) => (c.found ? JSON.stringify(c.value) : '\u0000missing')));
        return { key: formatPath(path), path, values: cells.map((c) => c.value), present: cells.map((c) => c.found), differs: distinct.size > 1 };
      });
      const metricKeys = [...new Set(views.flatMap((v) => Object.keys(v)))].sort();
      return {
        runs: records.map((r) => {
          const { config: _c, summary: _s, host: _h, ...meta } = runView(r, null, now, crashAfterMs(deps));
          return meta;
        }),
        config: differentOnly ? config.filter((c) => c.differs) : config,
        metrics: metricKeys.map((key) => ({ key, values: views.map((v): SummaryView | null => v[key] ?? null) })),
      };
    },
  );
  done();
};
