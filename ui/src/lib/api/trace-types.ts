/** Names for the traces API's shapes, from the generated OpenAPI types. */
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: infer R } } ? Json<R> : never;

export type TraceList = Ok<'/api/v1/projects/{project}/traces', 'get'>;
export type TraceSummary = TraceList['traces'][number];
export type TraceTree = Ok<'/api/v1/projects/{project}/traces/{traceId}', 'get'>;
export type SpanNode = TraceTree['roots'][number];
export type ChildrenPage = Ok<'/api/v1/projects/{project}/traces/{traceId}/spans/{spanId}/children', 'get'>;
export type SpanDetail = Ok<'/api/v1/projects/{project}/traces/{traceId}/spans/{spanId}', 'get'>;
export type SessionList = Ok<'/api/v1/projects/{project}/sessions', 'get'>;
export type Session = Ok<'/api/v1/projects/{project}/sessions/{sessionId}', 'get'>;
