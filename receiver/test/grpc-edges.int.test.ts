/** OTLP/gRPC edge cases: malformed messages, size limits, partial success, metadata project override. */
import type { ServiceError } from '@grpc/grpc-js';
import { credentials, Metadata, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import { ExportLogsServiceRequest, ExportTraceServiceRequest, ExportTraceServiceResponse, LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from '@mlrun/proto';
import t from 'tap';
import { decodeRequest } from '../src/otlp/decode.js';
import type { Harness } from './helpers/harness.js';
import { closeStorage, startHarness, uniqueProject } from './helpers/harness.js';

const LIMIT = 128 * 1024;
let h: Harness;
const identity = (b: Buffer) => b;
const Client = makeGenericClientConstructor({}, 'Raw');
let client: InstanceType<typeof Client>;

t.before(async () => {
  h = await startHarness({ receiver: { maxMessageBytes: LIMIT } });
  client = new Client(h.receiver.grpcAddress, credentials.createInsecure(), { 'grpc.max_send_message_length': 16 * LIMIT });
});
t.teardown(async () => {
  client.close();
  await h.close();
  await closeStorage();
});

function call(path: string, body: Uint8Array, metadata = new Metadata()): Promise<{ error: ServiceError | null; response?: Buffer }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, Buffer.from(body), metadata, (error, response) => resolve({ error, response }));
  });
}

function traces(json: unknown): Uint8Array {
  const decoded = decodeRequest('traces', Buffer.from(JSON.stringify(json)), 'json');
  if (!decoded.ok) throw new Error(decoded.error);
  return ExportTraceServiceRequest.encode(decoded.value).finish();
}

const spanJson = (project: string, spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: project } }] }, scopeSpans: [{ spans }] }],
});

t.test('malformed protobuf → INVALID_ARGUMENT with the reason', async (t) => {
  const { error } = await call(TRACE_EXPORT_PATH, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
  t.equal(error?.code, status.INVALID_ARGUMENT);
  t.match(error?.details, /invalid protobuf/);
});

t.test('messages over the limit → RESOURCE_EXHAUSTED without RetryInfo (not retryable)', async (t) => {
  const big = ExportLogsServiceRequest.encode(
    ExportLogsServiceRequest.fromObject({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x'.repeat(LIMIT) } }] }] }] }),
  ).finish();
  const { error } = await call(LOGS_EXPORT_PATH, big);
  t.equal(error?.code, status.RESOURCE_EXHAUSTED);
  t.equal(error?.metadata.get('grpc-status-details-bin').length, 0);
});

t.test('partial success and metadata project override over gRPC', async (t) => {
  const project = uniqueProject('grpc-partial');
  const metadata = new Metadata();
  metadata.set('x-mlrun-project', project);
  const body = traces(
    spanJson('ignored', [
      { traceId: '5b8efff798038103d269b633813fc60c', spanId: '0000000000000001', name: 'ok' },
      { traceId: '5b8efff798038103d269b633813fc60c', spanId: '01', name: 'bad' },
    ]),
  );
  const { error, response } = await call(TRACE_EXPORT_PATH, body, metadata);
  t.equal(error, null);
  const decoded = ExportTraceServiceResponse.decode(response ?? new Uint8Array());
  t.equal(String(decoded.partialSuccess?.rejectedSpans), '1');
  t.match(decoded.partialSuccess?.errorMessage, /span_id/);
  const rows = await h.rows<{ name: string }>('SELECT name FROM spans WHERE project = {p:String}', { p: project });
  t.same(rows, [{ name: 'ok' }]);
});

t.test('an empty request succeeds', async (t) => {
  const { error, response } = await call(TRACE_EXPORT_PATH, new Uint8Array());
  t.equal(error, null);
  t.equal(response?.length, 0, 'full success: empty ExportTraceServiceResponse');
});
