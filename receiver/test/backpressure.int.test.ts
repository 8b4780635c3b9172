/**
 * Backpressure: with a tiny memory budget and slowed storage, clients get retryable answers (HTTP 429 +
 * Retry-After, gRPC UNAVAILABLE + RetryInfo), the receiver's reserved memory stays within its budget,
 * and once storage recovers the real OTel exporters' retries land every span exactly once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, Metadata, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ExportTraceServiceRequest, RetryInfo, RpcStatus, TRACE_EXPORT_PATH } from '@mlrun/proto';
import t from 'tap';
import { decodeRequest } from '../src/otlp/decode.js';
import type { RowSink } from '../src/index.js';
import type { Harness } from './helpers/harness.js';
import { closeStorage, startHarness, uniqueProject } from './helpers/harness.js';
import { TRANSPORTS, traceExporter, tracerProvider } from './helpers/otel.js';

const BUDGET = 48 * 1024;
let slow = false;
/** `h` turns requests away at once when the budget is full; `queued` lets them wait up to 1 s first. */
let h: Harness;
let queued: Harness;
let peakReserved = 0;
let sampler: NodeJS.Timeout;
const slowSink = (sink: RowSink): RowSink => ({
  async insert(table, rows) {
    if (slow) await sleep(400);
    return sink.insert(table, rows);
  },
});

t.before(async () => {
  h = await startHarness({ receiver: { memoryBudgetBytes: BUDGET, flushIntervalMs: 20, admissionWaitMs: 0 }, wrapSink: slowSink });
  queued = await startHarness({ receiver: { memoryBudgetBytes: BUDGET, flushIntervalMs: 20, admissionWaitMs: 1000 }, wrapSink: slowSink });
  sampler = setInterval(() => {
    const stats = queued.receiver.stats();
    peakReserved = Math.max(peakReserved, stats.memoryUsedBytes + stats.memoryQueuedBytes);
  }, 2);
});
t.teardown(async () => {
  clearInterval(sampler);
  await h.close();
  await queued.close();
  await closeStorage();
});

function request(project: string, spanIndex: number): Uint8Array {
  const json = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: project } }] },
        scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: spanIndex.toString(16).padStart(16, '0'), name: 'op' }] }],
      },
    ],
  };
  const decoded = decodeRequest('traces', Buffer.from(JSON.stringify(json)), 'json');
  if (!decoded.ok) throw new Error(decoded.error);
  return ExportTraceServiceRequest.encode(decoded.value).finish();
}

t.test('HTTP: a full budget answers 429 with Retry-After and RetryInfo; only 200s are stored', async (t) => {
  slow = true;
  const project = uniqueProject('http-busy');
  const responses = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      fetch(`${h.httpUrl}/v1/traces`, { method: 'POST', body: request(project, i + 1), headers: { 'content-type': 'application/x-protobuf' } }),
    ),
  );
  slow = false;
  const busy = responses.find((response) => response.status === 429);
  t.ok(busy, 'some requests were turned away');
  t.equal(busy?.headers.get('retry-after'), '1');
  const body = RpcStatus.decode(new Uint8Array((await busy?.arrayBuffer()) ?? new ArrayBuffer(0)));
  t.equal(body.code, 8, 'RESOURCE_EXHAUSTED');
  t.match(body.message, /memory budget/);
  const detail = body.details[0];
  t.equal(detail?.typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
  t.equal(Number(RetryInfo.decode(detail?.value ?? new Uint8Array()).retryDelay?.seconds), 1);
  const statuses = responses.map((response) => response.status);
  t.same([...new Set(statuses)].sort(), [200, 429], 'every request was either stored or turned away');
  const rows = await h.rows<{ n: string }>('SELECT count() AS n FROM spans WHERE project = {p:String}', { p: project });
  t.equal(Number(rows[0]?.n), statuses.filter((code) => code === 200).length, 'exactly the acknowledged requests were stored');
});

t.test('gRPC: a full budget answers UNAVAILABLE with RetryInfo', async (t) => {
  slow = true;
  const project = uniqueProject('grpc-busy');
  const Client = makeGenericClientConstructor(
    { Export: { path: TRACE_EXPORT_PATH, requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } },
    'TraceService',
  );
  const client = new Client(h.receiver.grpcAddress, credentials.createInsecure());
  const call = (i: number) =>
    new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(request(project, i)), new Metadata(), (error) => resolve(error));
    });
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => call(i + 1)));
  const busy = results.find((error) => error?.code === status.UNAVAILABLE);
  t.ok(busy, 'some calls were turned away');
  const details = busy?.metadata.get('grpc-status-details-bin')[0];
  t.ok(Buffer.isBuffer(details), 'grpc-status-details-bin present');
  const decoded = RpcStatus.decode(details as Buffer);
  t.equal(Number(RetryInfo.decode(decoded.details[0]?.value ?? new Uint8Array()).retryDelay?.seconds), 1);
  const ok = results.filter((error) => error === null).length;
  slow = false;
  const rows = await h.rows<{ n: string }>('SELECT count() AS n FROM spans WHERE project = {p:String}', { p: project });
  t.equal(Number(rows[0]?.n), ok, 'the acknowledged calls, and only those, were stored');
  client.close();
});

/** A gRPC client with grpc's own retry policy: UNAVAILABLE is retried with backoff, as the Collector does. */
function retryingGrpcClient() {
  const Client = makeGenericClientConstructor({}, 'TraceService');
  const serviceConfig = {
    methodConfig: [
      {
        name: [{ service: 'opentelemetry.proto.collector.trace.v1.TraceService' }],
        retryPolicy: { maxAttempts: 5, initialBackoff: '0.4s', maxBackoff: '2s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] },
      },
    ],
  };
  return new Client(queued.receiver.grpcAddress, credentials.createInsecure(), { 'grpc.service_config': JSON.stringify(serviceConfig), 'grpc.enable_retries': 1 });
}

t.test('clients that retry get every span stored exactly once after storage recovers', async (t) => {
  // The OTel JS HTTP exporters retry 429/503 honouring Retry-After. The OTel JS gRPC exporter (0.223) does
  // not retry at all, so gRPC is exercised with grpc-js's standard retry policy instead (what the Collector
  // and the Go/Java/Python SDKs do on UNAVAILABLE).
  const project = uniqueProject('exactly-once');
  slow = true;
  peakReserved = 0;
  const rejectedBefore = queued.receiver.stats().rejectedBusy;
  const perClient = 30;
  const httpTransports = TRANSPORTS.filter((transport) => transport.startsWith('http'));
  const providers = httpTransports.map((transport) =>
    tracerProvider(resourceFromAttributes({ 'mlrun.project': project, transport }), traceExporter(transport, queued, { timeoutMillis: 30_000 })),
  );
  for (const provider of providers) {
    const tracer = provider.getTracer('load');
    for (let i = 0; i < perClient; i++) tracer.startSpan(`span-${i}`).end();
  }
  const grpcClient = retryingGrpcClient();
  const grpcCalls = Array.from(
    { length: perClient },
    (_, i) =>
      new Promise<ServiceError | null>((resolve) => {
        grpcClient.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(request(project, 0x1000 + i)), new Metadata(), (error) => resolve(error));
      }),
  );
  setTimeout(() => {
    slow = false;
  }, 1500);
  await Promise.all(providers.map((provider) => provider.forceFlush()));
  await Promise.all(providers.map((provider) => provider.shutdown()));
  const grpcErrors = (await Promise.all(grpcCalls)).filter((error) => error !== null);
  grpcClient.close();
  t.same(grpcErrors, [], 'every gRPC call succeeded in the end');
  t.ok(queued.receiver.stats().rejectedBusy > rejectedBefore, 'the budget turned requests away while storage was slow');
  t.ok(peakReserved <= 2 * BUDGET, `reserved + queued memory stayed within twice the budget (peak ${peakReserved} of ${BUDGET} bytes)`);
  const expected = (httpTransports.length + 1) * perClient;
  const rows = await queued.rows<{ n: string; distinct_spans: string }>(
    'SELECT count() AS n, uniqExact(span_id) AS distinct_spans FROM spans WHERE project = {p:String}',
    { p: project },
  );
  t.equal(Number(rows[0]?.n), expected, 'every span stored');
  t.equal(Number(rows[0]?.distinct_spans), expected, 'and none twice');
});
