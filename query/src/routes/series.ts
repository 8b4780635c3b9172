/**
 * POST /api/v1/projects/{project}/series — runs × keys over an x-axis, raw when few enough points,
 * otherwise W&B-style buckets (x, last, min, max, count) computed in ClickHouse. Zoom = ask again with
 * a narrower xMin/xMax.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { readSeries } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { BadRequest } from '../errors.js';
import { MetricNumber, metricNumber } from '../schemas/numbers.js';

const MAX_POINTS_LIMIT = 10_000;

const SeriesBody = Type.Object(
  {
    runs: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100, description: 'run ids' }),
    keys: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100, description: 'metric keys' }),
    xAxis: Type.Union([Type.Literal('step'), Type.Literal('time'), Type.Literal('relative_time')], { default: 'step' }),
    xMin: Type.Optional(Type.Number({ description: 'inclusive; steps, Unix ms (time) or seconds (relative_time)' })),
    xMax: Type.Optional(Type.Number()),
    maxPoints: Type.Integer({ minimum: 1, maximum: MAX_POINTS_LIMIT, default: 1000, description: 'points or buckets per series at most' }),
  },
  { additionalProperties: false },
);

const Bucket = Type.Object({ x: Type.Number(), last: MetricNumber, min: MetricNumber, max: MetricNumber, count: Type.Integer() });

const SeriesResponse = Type.Object({
  xAxis: Type.String(),
  series: Type.Array(
    Type.Object({
      run: Type.String(),
      key: Type.String(),
      labels: Type.String({ description: 'k=v,… of OTel metric points; empty for mlrun.metrics' }),
      mode: Type.Union([Type.Literal('raw'), Type.Literal('buckets')]),
      total: Type.Integer({ description: 'points in range before downsampling' }),
      points: Type.Array(Bucket),
    }),
  ),
});

export const seriesRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.post(
    '/projects/:project/series',
    {
      schema: {
        summary: 'Metric series, downsampled',
        tags: ['metrics'],
        params: Type.Object({ project: Type.String({ minLength: 1 }) }),
        body: SeriesBody,
        response: { 200: SeriesResponse },
      },
    },
    async (request) => {
      const { project } = request.params;
      const body = request.body;
      if (body.xMin !== undefined && body.xMax !== undefined && body.xMin > body.xMax) {
        throw new BadRequest(`xMin (${body.xMin}) is greater than xMax (${body.xMax})`);
      }
      const series = await readSeries(deps.clickhouse, { project, runIds: body.runs, keys: body.keys, xAxis: body.xAxis, xMin: body.xMin, xMax: body.xMax, maxPoints: body.maxPoints });
      return {
        xAxis: body.xAxis,
        series: series.map((s) => ({
          run: s.runId,
          key: s.key,
          labels: s.labels,
          mode: s.mode,
          total: s.total,
          points: s.buckets.map((b) => ({ x: b.x, last: metricNumber(b.last), min: metricNumber(b.min), max: metricNumber(b.max), count: b.count })),
        })),
      };
    },
  );
  done();
};
