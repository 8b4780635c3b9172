/**
 * GET /api/v1/projects/{project}/runs/{runId}/metrics — a run's metric keys with their summaries (last by
 * step then time, min/max ignoring NaN, count, last step, first/last time), read from `metric_summaries`,
 * never from raw points. An unknown run is a 404.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { readRunSummaries, runExists } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { MetricNumber, metricNumber } from '../schemas/numbers.js';

const NANOS_PER_MS = 1_000_000n;

const MetricSummary = Type.Object({
  key: Type.String(),
  labels: Type.String({ description: 'k=v,… of OTel metric points; empty for mlrun.metrics' }),
  last: MetricNumber,
  min: MetricNumber,
  max: MetricNumber,
  count: Type.Integer(),
  lastStep: Type.Integer({ description: '-1 when no point carried a step' }),
  firstTime: Type.String({ format: 'date-time' }),
  lastTime: Type.String({ format: 'date-time' }),
});

const isoOf = (nanos: bigint): string => new Date(Number(nanos / NANOS_PER_MS)).toISOString();

export const runMetricsRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/runs/:runId/metrics',
    {
      schema: {
        summary: "A run's metric keys with their summaries",
        tags: ['metrics'],
        params: Type.Object({ project: Type.String({ minLength: 1 }), runId: Type.String({ minLength: 1 }) }),
        response: { 200: Type.Object({ run: Type.String(), metrics: Type.Array(MetricSummary) }) },
      },
    },
    async (request) => {
      const { project, runId } = request.params;
      if (!(await runExists(deps.postgres, project, runId))) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
      const summaries = await readRunSummaries(deps.clickhouse, { project, runId });
      return {
        run: runId,
        metrics: summaries.map((s) => ({
          key: s.key,
          labels: s.labels,
          last: metricNumber(s.last),
          min: metricNumber(s.min),
          max: metricNumber(s.max),
          count: Number(s.count),
          lastStep: Number(s.lastStep),
          firstTime: isoOf(s.firstTime),
          lastTime: isoOf(s.lastTime),
        })),
      };
    },
  );
  done();
};
