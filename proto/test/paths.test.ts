// The gRPC paths and service names are the ones the .proto service definitions imply, and each
// service's Export method takes the request and returns the response class we export.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import t from 'tap';
import {
  LOGS_EXPORT_PATH,
  LOGS_SERVICE,
  METRICS_EXPORT_PATH,
  METRICS_SERVICE,
  TRACE_EXPORT_PATH,
  TRACE_SERVICE,
} from '../src/index.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The services a .proto file (and its imports) defines, loaded with the full, reflecting protobufjs. */
function loadServices(file: string): protobuf.Service[] {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(packageDir, target);
  root.loadSync(file);
  root.resolveAll();
  return collectServices(root);
}

function collectServices(ns: protobuf.NamespaceBase): protobuf.Service[] {
  return ns.nestedArray.flatMap((o) => (o instanceof protobuf.Service ? [o] : o instanceof protobuf.Namespace ? collectServices(o) : []));
}

const cases = [
  ['opentelemetry/proto/collector/trace/v1/trace_service.proto', TRACE_SERVICE, TRACE_EXPORT_PATH, 'ExportTraceService'],
  ['opentelemetry/proto/collector/metrics/v1/metrics_service.proto', METRICS_SERVICE, METRICS_EXPORT_PATH, 'ExportMetricsService'],
  ['opentelemetry/proto/collector/logs/v1/logs_service.proto', LOGS_SERVICE, LOGS_EXPORT_PATH, 'ExportLogsService'],
] as const;

for (const [file, serviceName, path, messagePrefix] of cases) {
  void t.test(path, (t) => {
    const services = loadServices(file);
    t.equal(services.length, 1, `${file} defines one service`);
    const service = services[0] as protobuf.Service;
    t.equal(service.fullName, `.${serviceName}`);
    t.same(Object.keys(service.methods), ['Export'], 'a single Export method');
    const method = service.methods.Export as protobuf.Method;
    t.equal(path, `/${serviceName}/${method.name}`);
    t.equal(method.resolvedRequestType?.name, `${messagePrefix}Request`);
    t.equal(method.resolvedResponseType?.name, `${messagePrefix}Response`);
    t.notOk(method.requestStream || method.responseStream, 'unary');
    t.end();
  });
}

void t.test('the trace path is the literal one OTLP clients call', (t) => {
  t.equal(TRACE_EXPORT_PATH, '/opentelemetry.proto.collector.trace.v1.TraceService/Export');
  t.equal(METRICS_EXPORT_PATH, '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export');
  t.equal(LOGS_EXPORT_PATH, '/opentelemetry.proto.collector.logs.v1.LogsService/Export');
  t.end();
});
