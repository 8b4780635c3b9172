/** TypeBox schemas of runs as the API returns them. */
import { Type } from 'typebox';
import { MetricNumber } from './numbers.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ProjectParams = Type.Object({ project: Type.String({ minLength: 1, maxLength: 256 }) });
export const RunParams = Type.Object({ project: Type.String({ minLength: 1, maxLength: 256 }), runId: Type.String({ minLength: 1, maxLength: 256 }) });

export const RunStatusSchema = Type.Union([Type.Literal('running'), Type.Literal('finished'), Type.Literal('failed'), Type.Literal('killed'), Type.Literal('crashed')], {
  description: 'running, finished, failed, killed, or crashed (running but silent past the crash timeout)',
});

export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown(), { description: 'a JSON object' });

export const SummarySchema = Type.Object({
  last: Nullable(MetricNumber),
  min: Nullable(MetricNumber),
  max: Nullable(MetricNumber),
  count: Type.Integer({ description: 'points logged (0 when the value is only an explicit summary)' }),
});

const Timestamp = (description: string) => Nullable(Type.String({ format: 'date-time', description }));

export const RunSchema = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String({ description: 'null until the run reports one; show the id instead' })),
  group: Nullable(Type.String()),
  status: RunStatusSchema,
  tags: Type.Array(Type.String()),
  notes: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time', description: 'first sight of the run' }),
  startedAt: Timestamp('mlrun.run.start'),
  endedAt: Timestamp('mlrun.run.end; null while running'),
  lastSeenAt: Timestamp('latest telemetry of the run'),
  durationMs: Nullable(Type.Number({ description: 'start to end, to now while running, to last sight once crashed' })),
  exitCode: Nullable(Type.Integer()),
  config: Type.Optional(JsonObjectSchema),
  summary: Type.Optional(Type.Record(Type.String(), SummarySchema, { description: 'metric key → summary' })),
  host: Type.Optional(Nullable(JsonObjectSchema)),
});
