// gRPC service names and method paths (`/<package>.<Service>/<Method>`) of the OTLP collector services.
// They follow from the proto package names, which is why those are kept exactly as upstream;
// test/paths.test.ts checks these against the service definitions in the .proto files.

export const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';
export const METRICS_SERVICE = 'opentelemetry.proto.collector.metrics.v1.MetricsService';
export const LOGS_SERVICE = 'opentelemetry.proto.collector.logs.v1.LogsService';

export const TRACE_EXPORT_PATH = `/${TRACE_SERVICE}/Export`;
export const METRICS_EXPORT_PATH = `/${METRICS_SERVICE}/Export`;
export const LOGS_EXPORT_PATH = `/${LOGS_SERVICE}/Export`;
