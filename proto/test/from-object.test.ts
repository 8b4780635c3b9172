// fromObject() takes OTLP/JSON-shaped objects (after JSON.parse): lowerCamelCase keys, 64-bit integers
// as decimal strings (or numbers), enums as integers, "NaN"/"Infinity" doubles, unknown keys ignored.
// (OTLP/JSON's hex trace/span ids are not proto3 JSON: the receiver turns them into bytes first.)
import t from 'tap';
import {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
  Long,
  SeverityNumber,
  SpanKind,
  StatusCode,
  AggregationTemporality,
} from '../src/index.js';
import { INT64_MAX, INT64_MIN, NANOS, SPAN_ID, TRACE_ID, UINT64_MAX } from './fixtures.js';

const traceJson = `{
  "resourceSpans": [{
    "resource": { "attributes": [{ "key": "service.name", "value": { "stringValue": "trainer" } }] },
    "scopeSpans": [{
      "scope": { "name": "s" },
      "spans": [{
        "traceId": "${TRACE_ID}",
        "spanId": "${SPAN_ID}",
        "name": "step",
        "kind": 2,
        "startTimeUnixNano": "${NANOS}",
        "endTimeUnixNano": "${UINT64_MAX}",
        "attributes": [
          { "key": "min", "value": { "intValue": "${INT64_MIN}" } },
          { "key": "max", "value": { "intValue": "${INT64_MAX}" } },
          { "key": "num", "value": { "intValue": 42 } },
          { "key": "nan", "value": { "doubleValue": "NaN" } },
          { "key": "inf", "value": { "doubleValue": "-Infinity" } }
        ],
        "status": { "code": 2, "message": "boom" },
        "someFutureField": { "x": 1 }
      }]
    }]
  }]
}`;

void t.test('trace request: decimal-string int64/fixed64 are exact Longs, enums are ints', (t) => {
  const request = ExportTraceServiceRequest.fromObject(JSON.parse(traceJson) as Record<string, unknown>);
  const span = request.resourceSpans[0]?.scopeSpans?.[0]?.spans?.[0];
  t.ok(span);
  t.equal(span?.kind, SpanKind.SPAN_KIND_SERVER);
  t.equal(span?.status?.code, StatusCode.STATUS_CODE_ERROR);
  t.ok(span?.startTimeUnixNano instanceof Long);
  t.equal(String(span?.startTimeUnixNano), NANOS);
  t.equal(String(span?.endTimeUnixNano), UINT64_MAX);
  const values = span?.attributes?.map((a) => a.value) ?? [];
  t.equal(String(values[0]?.intValue), INT64_MIN);
  t.equal(String(values[1]?.intValue), INT64_MAX);
  t.equal(String(values[2]?.intValue), '42', 'a JSON number is accepted for int64 too');
  t.ok(Number.isNaN(values[3]?.doubleValue));
  t.equal(values[4]?.doubleValue, -Infinity);
  t.equal(Buffer.from(span?.traceId ?? []).toString('hex'), '5b8efff798038103d269b633813fc60c', 'bytes as base64');
  t.notOk('someFutureField' in (span ?? {}), 'unknown keys are ignored');
  t.end();
});

void t.test('metrics request: sfixed64 as_int extremes, fixed64 counts, temporality as int', (t) => {
  const request = ExportMetricsServiceRequest.fromObject(
    JSON.parse(`{
      "resourceMetrics": [{ "scopeMetrics": [{ "metrics": [
        { "name": "g", "gauge": { "dataPoints": [
          { "timeUnixNano": "${NANOS}", "asInt": "${INT64_MIN}" },
          { "timeUnixNano": "${NANOS}", "asInt": "${INT64_MAX}" },
          { "timeUnixNano": "${NANOS}", "asDouble": "Infinity" }
        ] } },
        { "name": "h", "histogram": { "aggregationTemporality": 2, "dataPoints": [
          { "count": "${UINT64_MAX}", "bucketCounts": ["1", "${UINT64_MAX}"], "explicitBounds": [1.5], "sum": 0 }
        ] } }
      ] }] }]
    }`) as Record<string, unknown>,
  );
  const metrics = request.resourceMetrics[0]?.scopeMetrics?.[0]?.metrics ?? [];
  const points = metrics[0]?.gauge?.dataPoints ?? [];
  t.equal(String(points[0]?.asInt), INT64_MIN);
  t.equal(String(points[1]?.asInt), INT64_MAX);
  t.equal((points[0]?.asInt as Long).unsigned, false);
  t.equal(points[2]?.asDouble, Infinity);
  const histogram = metrics[1]?.histogram;
  t.equal(histogram?.aggregationTemporality, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  t.equal(String(histogram?.dataPoints?.[0]?.count), UINT64_MAX);
  t.same(histogram?.dataPoints?.[0]?.bucketCounts?.map(String), ['1', UINT64_MAX]);
  t.equal(histogram?.dataPoints?.[0]?.sum, 0, 'optional sum = 0 is kept (presence)');
  t.end();
});

void t.test('logs request: severity and event name', (t) => {
  const request = ExportLogsServiceRequest.fromObject({
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: NANOS, severityNumber: 17, eventName: 'gen_ai.evaluation.result', body: { stringValue: 'x' } }] }] }],
  });
  const record = request.resourceLogs[0]?.scopeLogs?.[0]?.logRecords?.[0];
  t.equal(record?.severityNumber, SeverityNumber.SEVERITY_NUMBER_ERROR);
  t.equal(record?.eventName, 'gen_ai.evaluation.result');
  t.equal(String(record?.timeUnixNano), NANOS);
  t.end();
});

void t.test('an enum integer without a name is kept as the integer (open enums)', (t) => {
  const request = ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 42 }] }] }] });
  t.equal(request.resourceSpans[0]?.scopeSpans?.[0]?.spans?.[0]?.kind, 42);
  t.end();
});

void t.test('enum objects map names to numbers and numbers to names', (t) => {
  t.equal(SpanKind.SPAN_KIND_CLIENT, 3);
  t.equal(SpanKind[3], 'SPAN_KIND_CLIENT');
  t.equal(StatusCode.STATUS_CODE_OK, 1);
  t.equal(SeverityNumber.SEVERITY_NUMBER_FATAL4, 24);
  t.equal(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 1);
  t.end();
});
