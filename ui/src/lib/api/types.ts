/** Names for the API's shapes, taken from the generated OpenAPI types (never written by hand). */
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: infer R } } ? Json<R> : never;

export type RunList = Ok<'/api/v1/projects/{project}/runs', 'get'>;
export type Run = RunList['runs'][number];
export type RunDetail = Ok<'/api/v1/projects/{project}/runs/{runId}', 'get'>;
export type RunStatus = Run['status'];
export type Summary = NonNullable<Run['summary']>[string];
export type Keys = Ok<'/api/v1/projects/{project}/keys', 'get'>;
export type SeriesResponse = Ok<'/api/v1/projects/{project}/series', 'post'>;
export type Series = SeriesResponse['series'][number];
export type XAxis = 'step' | 'time' | 'relative_time';
export type RunMetrics = Ok<'/api/v1/projects/{project}/runs/{runId}/metrics', 'get'>;
export type MetricInfo = RunMetrics['metrics'][number];
export type Compare = Ok<'/api/v1/projects/{project}/compare', 'post'>;
export type LogPage = Ok<'/api/v1/projects/{project}/runs/{runId}/logs', 'get'>;
export type LogLine = LogPage['logs'][number];
export type ArtifactList = Ok<'/api/v1/projects/{project}/runs/{runId}/artifacts', 'get'>;
export type Artifact = ArtifactList['artifacts'][number];
