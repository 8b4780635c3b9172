// Every request and response type survives encode -> decode(createReader) -> toObject unchanged,
// including nanosecond fixed64 timestamps, uint64/sfixed64 extremes, NaN/Infinity and bytes ids.
import LongFromPackage from 'long';
import t from 'tap';
import {
  createReader,
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
  ExportMetricsServiceRequest,
  ExportMetricsServiceResponse,
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
  Long,
  RetryInfo,
  RpcStatus,
  BadRequest,
  Any,
} from '../src/index.js';
import { INT64_MAX, INT64_MIN, logsRequest, metricsRequest, NANOS, traceRequest, UINT64_MAX } from './fixtures.js';

// toObject in OTLP/JSON form: 64-bit as decimal strings, bytes as base64, NaN/Infinity as strings.
const JSON_FORM = { longs: String, bytes: String, json: true } as const;

interface Codec {
  fromObject(object: Record<string, unknown>): object;
  encode(message: object): { finish(): Uint8Array };
  decode(reader: ReturnType<typeof createReader>): object;
  toObject(message: object, options: typeof JSON_FORM): Record<string, unknown>;
}

function roundTrip(codec: Codec, input: Record<string, unknown>) {
  const bytes = codec.encode(codec.fromObject(input)).finish();
  const decoded = codec.decode(createReader(bytes));
  return { bytes, decoded, output: codec.toObject(decoded, JSON_FORM), reencoded: codec.encode(decoded).finish() };
}

const cases: [string, Codec, Record<string, unknown>][] = [
  ['ExportTraceServiceRequest', ExportTraceServiceRequest, traceRequest],
  ['ExportMetricsServiceRequest', ExportMetricsServiceRequest, metricsRequest],
  ['ExportLogsServiceRequest', ExportLogsServiceRequest, logsRequest],
  ['ExportTraceServiceResponse', ExportTraceServiceResponse, { partialSuccess: { rejectedSpans: '9007199254740993', errorMessage: 'too old' } }],
  ['ExportMetricsServiceResponse', ExportMetricsServiceResponse, { partialSuccess: { rejectedDataPoints: INT64_MAX, errorMessage: 'bad unit' } }],
  ['ExportLogsServiceResponse', ExportLogsServiceResponse, { partialSuccess: { rejectedLogRecords: '0', errorMessage: 'a warning only' } }],
  ['RpcStatus', RpcStatus, { code: 14, message: 'busy', details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: 'CgIIAQ==' }] }],
  ['RetryInfo', RetryInfo, { retryDelay: { seconds: '5', nanos: 500000000 } }],
  ['BadRequest', BadRequest, { fieldViolations: [{ field: 'resource_spans[0]', description: 'bad id' }] }],
];

for (const [name, codec, input] of cases) {
  void t.test(`${name} round trips losslessly`, (t) => {
    const { bytes, output, reencoded } = roundTrip(codec, input);
    // protobufjs 7 encodes a field that was set explicitly even when it holds the proto3 default ('0'),
    // so the explicit zero of the warning-only partial success comes back too.
    t.same(output, input);
    t.same(Buffer.from(reencoded), Buffer.from(bytes), 're-encoding the decoded message gives the same bytes');
    t.end();
  });
}

void t.test('empty requests decode to empty messages', (t) => {
  for (const codec of [ExportTraceServiceRequest, ExportMetricsServiceRequest, ExportLogsServiceRequest] as Codec[]) {
    t.same(codec.toObject(codec.decode(createReader(new Uint8Array(0))), JSON_FORM), {});
  }
  t.end();
});

void t.test('64-bit fields decode as Long, exactly and with the right signedness', (t) => {
  const span = ExportTraceServiceRequest.decode(createReader(roundTrip(ExportTraceServiceRequest, traceRequest).bytes))
    .resourceSpans[0]?.scopeSpans?.[0]?.spans?.[0];
  t.ok(span);
  const start = span?.startTimeUnixNano;
  t.ok(start instanceof Long, 'fixed64 is a Long of the exported class');
  t.equal(Long, LongFromPackage, "the exported Long is ESM code's `import Long from 'long'`");
  t.equal(String(start), NANOS);
  t.equal((start as Long).unsigned, true, 'fixed64 is unsigned');
  t.equal(String(span?.endTimeUnixNano), UINT64_MAX, 'uint64 max survives');
  t.equal(BigInt(String(start)), 1700000000123456789n);

  const gauge = ExportMetricsServiceRequest.decode(createReader(roundTrip(ExportMetricsServiceRequest, metricsRequest).bytes))
    .resourceMetrics[0]?.scopeMetrics?.[0]?.metrics?.[0]?.gauge?.dataPoints;
  const min = gauge?.[0]?.asInt;
  const max = gauge?.[1]?.asInt;
  t.ok(min instanceof Long);
  t.equal(String(min), INT64_MIN, 'sfixed64 -2^63');
  t.equal(String(max), INT64_MAX, 'sfixed64 2^63-1');
  t.equal((min as Long).unsigned, false, 'sfixed64 is signed');
  t.ok(Number.isNaN(gauge?.[2]?.asDouble), 'NaN double decodes as NaN');
  t.equal(gauge?.[3]?.asDouble, Infinity);
  t.equal(gauge?.[4]?.asDouble, -Infinity);
  t.end();
});

void t.test('bytes ids decode as bytes of the sent length', (t) => {
  const span = ExportTraceServiceRequest.decode(createReader(roundTrip(ExportTraceServiceRequest, traceRequest).bytes))
    .resourceSpans[0]?.scopeSpans?.[0]?.spans?.[0];
  t.equal(Buffer.from(span?.traceId ?? []).toString('hex'), '5b8efff798038103d269b633813fc60c');
  t.equal(Buffer.from(span?.spanId ?? []).toString('hex'), 'eee19b7ec3c1b174');
  t.equal(span?.traceId?.length, 16);
  t.end();
});

void t.test('unknown fields are skipped, not kept and not an error', (t) => {
  const known = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(traceRequest)).finish();
  // Field 99, wire type 2 (length-delimited), 3 bytes; then field 100, varint.
  const unknown = Buffer.concat([Buffer.from([0x9a, 0x06, 3, 1, 2, 3, 0xa0, 0x06, 7]), known]);
  const decoded = ExportTraceServiceRequest.decode(createReader(unknown));
  t.same(ExportTraceServiceRequest.toObject(decoded, JSON_FORM), traceRequest);
  t.notOk('$unknowns' in decoded);
  t.end();
});

void t.test('google.protobuf.Any packs RetryInfo for gRPC status details', (t) => {
  const retry = RetryInfo.encode({ retryDelay: { seconds: Long.fromNumber(2), nanos: 0 } }).finish();
  const status = RpcStatus.decode(
    createReader(RpcStatus.encode({ code: 14, message: 'busy', details: [{ typeUrl: RetryInfo.getTypeUrl(), value: retry }] }).finish()),
  );
  t.equal(status.details[0]?.typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
  const unpacked = RetryInfo.decode(createReader(status.details[0]?.value ?? new Uint8Array()));
  t.equal(String(unpacked.retryDelay?.seconds), '2');
  t.equal(Any.getTypeUrl(), 'type.googleapis.com/google.protobuf.Any');
  t.end();
});
