/**
 * Where MLRun telemetry goes and who it belongs to: OTLP/HTTP protobuf exporters (the endpoint given, else
 * what the exporters read themselves: OTEL_EXPORTER_OTLP_{TRACES,LOGS_,}ENDPOINT, default
 * http://localhost:4318) and the resource carrying `mlrun.project`, `mlrun.run.id`, `service.name`.
 */
import type { Attributes } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';

export interface Connection {
  /** OTLP/HTTP base URL, e.g. `http://localhost:4318`; `/v1/traces` and `/v1/logs` are appended. */
  readonly endpoint?: string;
  /** Extra HTTP headers on every export (e.g. `authorization`, `x-mlrun-project`). */
  readonly headers?: Record<string, string>;
}

export const DEFAULT_SERVICE_NAME = 'mlrun-node';

function signalUrl(endpoint: string | undefined, path: string): string | undefined {
  return endpoint === undefined ? undefined : `${endpoint.replace(/\/+$/, '')}${path}`;
}

export function traceExporter(connection: Connection): OTLPTraceExporter {
  return new OTLPTraceExporter({ url: signalUrl(connection.endpoint, '/v1/traces'), headers: connection.headers });
}

export function logExporter(connection: Connection): OTLPLogExporter {
  return new OTLPLogExporter({ url: signalUrl(connection.endpoint, '/v1/logs'), headers: connection.headers });
}

export interface Attribution {
  readonly project: string;
  readonly runId?: string;
  readonly runName?: string;
}

/** The `mlrun.*` attributes naming a project and (optionally) a run. */
export function mlrunAttributes(who: Attribution): Attributes {
  const attributes: Attributes = { 'mlrun.project': who.project };
  if (who.runId !== undefined) attributes['mlrun.run.id'] = who.runId;
  if (who.runName !== undefined) attributes['mlrun.run.name'] = who.runName;
  return attributes;
}

/**
 * SDK defaults (`telemetry.sdk.*`) < OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME < `serviceName` < `mlrun.*`.
 * Without a service name from either, `mlrun-node`.
 */
export function mlrunResource(who: Attribution, serviceName?: string): Resource {
  const fromEnv = detectResources({ detectors: [envDetector] });
  const service = serviceName ?? (typeof fromEnv.attributes['service.name'] === 'string' ? fromEnv.attributes['service.name'] : DEFAULT_SERVICE_NAME);
  return defaultResource()
    .merge(fromEnv)
    .merge(resourceFromAttributes({ 'service.name': service, ...mlrunAttributes(who) }));
}
