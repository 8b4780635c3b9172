/**
 * Real OpenTelemetry JS SDK pipelines (providers + OTLP exporters nobody here wrote), one per transport,
 * pointed at a running receiver.
 */
import { Metadata } from '@grpc/grpc-js';
import { OTLPLogExporter as GrpcLogs } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetrics } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraces } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export type TransportName = 'grpc' | 'grpc+gzip' | 'http/json' | 'http/protobuf+gzip';
export const TRANSPORTS: readonly TransportName[] = ['grpc', 'grpc+gzip', 'http/json', 'http/protobuf+gzip'];

export interface Endpoints {
  readonly httpUrl: string;
  readonly grpcUrl: string;
}

export interface ExporterOptions {
  /** Extra headers (HTTP) or metadata (gRPC), e.g. x-mlrun-project. */
  readonly headers?: Record<string, string>;
  readonly timeoutMillis?: number;
}

function gzip(transport: TransportName): CompressionAlgorithm {
  return transport.endsWith('+gzip') ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
}

export function traceExporter(transport: TransportName, at: Endpoints, options: ExporterOptions = {}): SpanExporter {
  const common = { compression: gzip(transport), timeoutMillis: options.timeoutMillis ?? 10_000 };
  if (transport.startsWith('grpc')) return new GrpcTraces({ url: at.grpcUrl, ...common, metadata: metadataOf(options.headers) });
  const http = { url: `${at.httpUrl}/v1/traces`, headers: options.headers ?? {}, ...common };
  return transport === 'http/json' ? new JsonTraces(http) : new ProtoTraces(http);
}

export function metricExporter(transport: TransportName, at: Endpoints, options: ExporterOptions = {}): PushMetricExporter {
  const common = { compression: gzip(transport), timeoutMillis: options.timeoutMillis ?? 10_000 };
  if (transport.startsWith('grpc')) return new GrpcMetrics({ url: at.grpcUrl, ...common, metadata: metadataOf(options.headers) });
  const http = { url: `${at.httpUrl}/v1/metrics`, headers: options.headers ?? {}, ...common };
  return transport === 'http/json' ? new JsonMetrics(http) : new ProtoMetrics(http);
}

export function logExporter(transport: TransportName, at: Endpoints, options: ExporterOptions = {}): LogRecordExporter {
  const common = { compression: gzip(transport), timeoutMillis: options.timeoutMillis ?? 10_000 };
  if (transport.startsWith('grpc')) return new GrpcLogs({ url: at.grpcUrl, ...common, metadata: metadataOf(options.headers) });
  const http = { url: `${at.httpUrl}/v1/logs`, headers: options.headers ?? {}, ...common };
  return transport === 'http/json' ? new JsonLogs(http) : new ProtoLogs(http);
}

function metadataOf(headers: Record<string, string> | undefined): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers ?? {})) metadata.set(key, value);
  return metadata;
}

export function tracerProvider(resource: Resource, exporter: SpanExporter): TracerProvider {
  return new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
}

export function meterProvider(resource: Resource, exporter: PushMetricExporter): MeterProvider {
  // A long interval: tests export explicitly with forceFlush().
  return new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })] });
}

export function loggerProvider(resource: Resource, exporter: LogRecordExporter): LoggerProvider {
  return new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
}
