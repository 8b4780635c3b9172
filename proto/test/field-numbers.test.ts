// The generated code puts each field on the wire with the number and wire type that
// /work/shared/reference/protocol.md §2 (opentelemetry-proto) gives it: encode a message with one
// field set and read the tag it starts with.
import t from 'tap';
import {
  AnyValue,
  ExponentialHistogramDataPoint,
  ExportTracePartialSuccess,
  HistogramDataPoint,
  KeyValue,
  LogRecord,
  Long,
  Metric,
  NumberDataPoint,
  Resource,
  RetryInfo,
  RpcStatus,
  Span,
  Status,
} from '../src/index.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** The protobuf varint encoding of a field tag. */
function tag(field: number, wireType: number): number[] {
  const out: number[] = [];
  let value = (field << 3) | wireType;
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return out;
}

const cases: [string, Uint8Array, number, number][] = [
  ['Span.events = 11', Span.encode({ events: [{ name: 'e' }] }).finish(), 11, LEN],
  ['Span.status = 15', Span.encode({ status: { code: Status.StatusCode.STATUS_CODE_ERROR } }).finish(), 15, LEN],
  ['Span.flags = 16 (fixed32)', Span.encode({ flags: 0x101 }).finish(), 16, I32],
  ['Span.start_time_unix_nano = 7 (fixed64)', Span.encode({ startTimeUnixNano: Long.fromString('1700000000123456789', true) }).finish(), 7, I64],
  ['Span.Link.flags = 6 (fixed32)', Span.Link.encode({ flags: 0x100 }).finish(), 6, I32],
  ['Status.code = 3', Status.encode({ code: Status.StatusCode.STATUS_CODE_OK }).finish(), 3, VARINT],
  ['LogRecord.event_name = 12', LogRecord.encode({ eventName: 'gen_ai.evaluation.result' }).finish(), 12, LEN],
  ['LogRecord.observed_time_unix_nano = 11 (fixed64)', LogRecord.encode({ observedTimeUnixNano: Long.fromNumber(1, true) }).finish(), 11, I64],
  ['LogRecord.flags = 8 (fixed32)', LogRecord.encode({ flags: 1 }).finish(), 8, I32],
  ['Metric.summary = 11', Metric.encode({ summary: {} }).finish(), 11, LEN],
  ['Metric.metadata = 12', Metric.encode({ metadata: [{ key: 'k' }] }).finish(), 12, LEN],
  ['NumberDataPoint.as_int = 6 (sfixed64)', NumberDataPoint.encode({ asInt: Long.fromString('-1') }).finish(), 6, I64],
  ['NumberDataPoint.attributes = 7', NumberDataPoint.encode({ attributes: [{ key: 'k' }] }).finish(), 7, LEN],
  ['HistogramDataPoint.min = 11 (optional double)', HistogramDataPoint.encode({ min: 0 }).finish(), 11, I64],
  ['ExponentialHistogramDataPoint.scale = 6 (sint32)', ExponentialHistogramDataPoint.encode({ scale: -1 }).finish(), 6, VARINT],
  ['ExponentialHistogramDataPoint.zero_threshold = 14', ExponentialHistogramDataPoint.encode({ zeroThreshold: 1 }).finish(), 14, I64],
  ['KeyValue.key_strindex = 3', KeyValue.encode({ keyStrindex: 1 }).finish(), 3, VARINT],
  ['AnyValue.string_value_strindex = 8', AnyValue.encode({ stringValueStrindex: 1 }).finish(), 8, VARINT],
  ['AnyValue.bytes_value = 7', AnyValue.encode({ bytesValue: new Uint8Array([1]) }).finish(), 7, LEN],
  ['Resource.entity_refs = 3', Resource.encode({ entityRefs: [{ type: 'service' }] }).finish(), 3, LEN],
  ['ExportTracePartialSuccess.rejected_spans = 1 (int64)', ExportTracePartialSuccess.encode({ rejectedSpans: Long.fromNumber(1) }).finish(), 1, VARINT],
  ['google.rpc.Status.details = 3', RpcStatus.encode({ details: [{ typeUrl: 'x' }] }).finish(), 3, LEN],
  ['google.rpc.RetryInfo.retry_delay = 1', RetryInfo.encode({ retryDelay: { nanos: 1 } }).finish(), 1, LEN],
];

for (const [name, bytes, field, wireType] of cases) {
  void t.test(name, (t) => {
    const expected = tag(field, wireType);
    t.same([...bytes.subarray(0, expected.length)], expected, `starts with tag (${field} << 3) | ${wireType}`);
    t.end();
  });
}

void t.test('fixed-width values are little-endian of their declared width', (t) => {
  // Span.flags: tag (16<<3)|5 = 133 = varint [0x85, 0x01], then 4 bytes.
  t.same([...Span.encode({ flags: 0x301 }).finish()], [0x85, 0x01, 0x01, 0x03, 0x00, 0x00]);
  // NumberDataPoint.as_int = -2: tag (6<<3)|1 = 49, then the 8-byte two's complement (sfixed64, not zigzag).
  t.same([...NumberDataPoint.encode({ asInt: Long.fromNumber(-2) }).finish()], [49, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  // Span.start_time_unix_nano = 1: tag (7<<3)|1 = 57, then 8 bytes.
  t.same([...Span.encode({ startTimeUnixNano: Long.fromNumber(1, true) }).finish()], [57, 1, 0, 0, 0, 0, 0, 0, 0]);
  t.end();
});

void t.test('proto3 optional double sum is encoded even when 0 (presence)', (t) => {
  t.same([...HistogramDataPoint.encode({ sum: 0 }).finish()], [(5 << 3) | I64, 0, 0, 0, 0, 0, 0, 0, 0]);
  t.end();
});
