/**
 * Real OTel JS SDK exporters (gRPC, gRPC+gzip, HTTP/JSON, HTTP/protobuf+gzip) → a running receiver →
 * embedded ClickHouse; the stored rows are read back and compared field by field.
 */
import type { HrTime } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import t from 'tap';
import type { Harness } from './helpers/harness.js';
import { closeStorage, startHarness, uniqueProject } from './helpers/harness.js';
import type { TransportName } from './helpers/otel.js';
import { logExporter, loggerProvider, meterProvider, metricExporter, TRANSPORTS, traceExporter, tracerProvider } from './helpers/otel.js';

const T0 = 1_700_000_000;
const at = (nanos: number, seconds = T0): HrTime => [seconds, nanos];
const ns = (nanos: number, seconds = T0): string => (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();

let harness: Harness;
t.before(async () => {
  harness = await startHarness();
});
t.teardown(async () => {
  await harness.close();
  await closeStorage();
});

function resourceFor(project: string, runId: string) {
  return resourceFromAttributes({
    'service.name': 'trainer',
    'mlrun.project': project,
    'mlrun.run.id': runId,
    'host.cores': 2,
    'host.gpu': false,
    'host.load': 0.25,
  });
}

interface SpanRecord {
  name: string;
  run_id: string;
  service_name: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  kind: number;
  start: string;
  end: string;
  duration_ns: string;
  status_code: number;
  status_message: string;
  attributes_str: Record<string, string>;
  attributes_int: Record<string, string>;
  attributes_float: Record<string, number | string>;
  attributes_bool: Record<string, boolean>;
  attributes_json: Record<string, string>;
  events_time: string[];
  'events.name': string[];
  'events.attributes': string[];
  'links.trace_id': string[];
  'links.span_id': string[];
  'links.attributes': string[];
  resource_str: Record<string, string>;
  resource_int: Record<string, string>;
  resource_float: Record<string, number>;
  resource_bool: Record<string, boolean>;
  scope_name: string;
  scope_version: string;
}

async function exportTraces(transport: TransportName, project: string) {
  const provider = tracerProvider(resourceFor(project, 'run-7'), traceExporter(transport, harness));
  const tracer = provider.getTracer('agent-scope', '1.2.3');
  const parent = tracer.startSpan('invoke_agent planner', { kind: SpanKind.INTERNAL, startTime: at(123_456_789) });
  const child = tracer.startSpan(
    'chat gpt-x',
    {
      kind: SpanKind.CLIENT,
      startTime: at(223_456_789),
      links: [{ context: parent.spanContext(), attributes: { 'link.reason': 'retry' } }],
      attributes: {
        'gen_ai.request.model': 'gpt-x',
        'gen_ai.usage.input_tokens': 42,
        'gen_ai.request.temperature': 0.7,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        streamed: true,
        'unicode.text': 'naïve — ✓ 日本',
      },
    },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('gen_ai.choice', { index: 3, 'message.role': 'assistant' }, at(300_000_001));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  child.end(at(5, T0 + 1));
  parent.end(at(0, T0 + 2));
  await provider.forceFlush();
  await provider.shutdown();
  return { parent: parent.spanContext(), child: child.spanContext() };
}

async function readSpans(project: string): Promise<SpanRecord[]> {
  return harness.rows<SpanRecord>(
    `SELECT name, run_id, service_name, trace_id, span_id, parent_span_id, kind,
            toString(toUnixTimestamp64Nano(timestamp)) AS start, toString(toUnixTimestamp64Nano(end_timestamp)) AS end,
            toString(duration_ns) AS duration_ns, status_code, status_message,
            attributes_str, attributes_int, attributes_float, attributes_bool, attributes_json,
            arrayMap(x -> toString(toUnixTimestamp64Nano(x)), events.timestamp) AS events_time, events.name, events.attributes,
            links.trace_id, links.span_id, links.attributes,
            resource_str, resource_int, resource_float, resource_bool, scope_name, scope_version
       FROM spans WHERE project = {project:String} ORDER BY timestamp`,
    { project },
  );
}

for (const transport of TRANSPORTS) {
  t.test(`traces over ${transport}`, async (t) => {
    const project = uniqueProject(`traces-${transport.replace(/[^a-z]/g, '')}`);
    const ids = await exportTraces(transport, project);
    const rows = await readSpans(project);
    t.equal(rows.length, 2, 'both spans stored');
    const [parent, child] = rows as [SpanRecord, SpanRecord];
    t.match(parent, { name: 'invoke_agent planner', trace_id: ids.parent.traceId, span_id: ids.parent.spanId, parent_span_id: '', kind: 1 });
    t.equal(parent.start, ns(123_456_789), 'parent start, to the nanosecond');
    t.equal(parent.end, ns(0, T0 + 2));
    t.match(child, {
      name: 'chat gpt-x',
      run_id: 'run-7',
      service_name: 'trainer',
      trace_id: ids.parent.traceId,
      span_id: ids.child.spanId,
      parent_span_id: ids.parent.spanId,
      kind: 3,
      status_code: 2,
      status_message: 'rate limited',
      scope_name: 'agent-scope',
      scope_version: '1.2.3',
    });
    t.equal(child.start, ns(223_456_789));
    t.equal(child.end, ns(5, T0 + 1));
    t.equal(child.duration_ns, (BigInt(ns(5, T0 + 1)) - BigInt(ns(223_456_789))).toString());
    t.same(child.attributes_str, { 'gen_ai.request.model': 'gpt-x', 'unicode.text': 'naïve — ✓ 日本' });
    t.same(child.attributes_int, { 'gen_ai.usage.input_tokens': '42' }, 'ints stay ints');
    t.same(child.attributes_float, { 'gen_ai.request.temperature': 0.7 }, 'doubles stay doubles');
    t.same(child.attributes_bool, { streamed: true }, 'bools stay bools');
    t.same(JSON.parse(child.attributes_json['gen_ai.response.finish_reasons'] ?? 'null'), {
      arrayValue: { values: [{ stringValue: 'stop' }, { stringValue: 'length' }] },
    });
    t.same(child.events_time, [ns(300_000_001)]);
    t.same(child['events.name'], ['gen_ai.choice']);
    t.same(JSON.parse(child['events.attributes'][0] ?? 'null'), [
      { key: 'index', value: { intValue: '3' } },
      { key: 'message.role', value: { stringValue: 'assistant' } },
    ]);
    t.same(child['links.trace_id'], [ids.parent.traceId]);
    t.same(child['links.span_id'], [ids.parent.spanId]);
    t.same(JSON.parse(child['links.attributes'][0] ?? 'null'), [{ key: 'link.reason', value: { stringValue: 'retry' } }]);
    t.match(child.resource_str, { 'service.name': 'trainer', 'mlrun.project': project, 'mlrun.run.id': 'run-7' });
    t.same(child.resource_int, { 'host.cores': '2' });
    t.same(child.resource_float, { 'host.load': 0.25 });
    t.same(child.resource_bool, { 'host.gpu': false });
  });

  t.test(`logs and mlrun.metrics events over ${transport}`, async (t) => {
    const project = uniqueProject(`logs-${transport.replace(/[^a-z]/g, '')}`);
    const provider = loggerProvider(resourceFor(project, 'run-9'), logExporter(transport, harness));
    const logger = provider.getLogger('train.py', '0.1.0');
    logger.emit({ eventName: 'mlrun.metrics', timestamp: at(1_000), attributes: { 'mlrun.step': 10, loss: 0.25, 'train/acc': 1 } });
    logger.emit({ eventName: 'mlrun.metrics', timestamp: at(2_000), attributes: { 'mlrun.step': 11, loss: 0.125 } });
    logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'epoch 1 ✓ done', timestamp: at(3_000), attributes: { epoch: 1 } });
    logger.emit({ eventName: 'mlrun.run.config', timestamp: at(4_000), body: { lr: 0.001, layers: [64, 32], name: 'resnet' } });
    await provider.forceFlush();
    await provider.shutdown();

    const points = await harness.rows<{ key: string; step: string; value: number; time: string; run_id: string; source: number }>(
      `SELECT key, toString(step) AS step, value, toString(toUnixTimestamp64Nano(time)) AS time, run_id, source
         FROM metric_points WHERE project = {project:String} ORDER BY step, key`,
      { project },
    );
    t.same(points, [
      { key: 'loss', step: '10', value: 0.25, time: ns(1_000), run_id: 'run-9', source: 1 },
      { key: 'train/acc', step: '10', value: 1, time: ns(1_000), run_id: 'run-9', source: 1 },
      { key: 'loss', step: '11', value: 0.125, time: ns(2_000), run_id: 'run-9', source: 1 },
    ]);

    const logs = await harness.rows<Record<string, unknown>>(
      `SELECT event_name, severity_number, severity_text, body_type, body, attributes_int, scope_name, scope_version,
              toString(toUnixTimestamp64Nano(timestamp)) AS time, toUInt64(toUnixTimestamp64Nano(observed_timestamp)) > 0 AS observed
         FROM logs WHERE project = {project:String} ORDER BY timestamp`,
      { project },
    );
    t.equal(logs.length, 2, 'mlrun.metrics events are exploded into points, not stored as log lines');
    t.match(logs[0], { event_name: '', severity_number: 13, severity_text: 'WARN', body_type: 1, body: 'epoch 1 ✓ done', scope_name: 'train.py', scope_version: '0.1.0', time: ns(3_000), observed: true });
    t.same(logs[0]?.attributes_int, { epoch: '1' });
    t.match(logs[1], { event_name: 'mlrun.run.config', body_type: 6 });
    t.same(JSON.parse(String(logs[1]?.body)), {
      kvlistValue: {
        values: [
          { key: 'lr', value: { doubleValue: 0.001 } },
          { key: 'layers', value: { arrayValue: { values: [{ intValue: '64' }, { intValue: '32' }] } } },
          { key: 'name', value: { stringValue: 'resnet' } },
        ],
      },
    });
  });

  t.test(`metrics over ${transport}`, async (t) => {
    const project = uniqueProject(`metrics-${transport.replace(/[^a-z]/g, '')}`);
    const provider = meterProvider(resourceFor(project, 'run-3'), metricExporter(transport, harness));
    const meter = provider.getMeter('meter-scope', '2.0.0');
    meter.createGauge('gpu.utilization', { unit: '1' }).record(0.75, { 'mlrun.step': 5, gpu: 0 });
    meter.createCounter('samples', { valueType: ValueType.INT, description: 'samples seen' }).add(2 ** 53 + 2, { split: 'train' });
    meter.createHistogram('batch.latency', { unit: 's' }).record(1.5);
    // shutdown() collects and exports once (forceFlush first would export the cumulative points twice).
    await provider.shutdown();

    const numbers = await harness.rows<Record<string, unknown>>(
      `SELECT metric_name, metric_type, metric_unit, metric_description, value_type, value_double, toString(value_int) AS value_int,
              is_monotonic, aggregation_temporality, attributes_int, attributes_str, scope_name, scope_version, run_id
         FROM metrics_number WHERE project = {project:String} ORDER BY metric_name`,
      { project },
    );
    t.equal(numbers.length, 2);
    t.match(numbers[0], { metric_name: 'gpu.utilization', metric_type: 1, metric_unit: '1', value_type: 1, value_double: 0.75, run_id: 'run-3', scope_name: 'meter-scope', scope_version: '2.0.0' });
    t.same(numbers[0]?.attributes_int, { 'mlrun.step': '5', gpu: '0' });
    t.match(numbers[1], { metric_name: 'samples', metric_type: 2, metric_description: 'samples seen', value_type: 2, is_monotonic: true, aggregation_temporality: 2 });
    t.same(numbers[1]?.attributes_str, { split: 'train' });
    t.equal(numbers[1]?.value_int, '9007199254740994', 'int64 sums above 2^53 stay exact');

    const points = await harness.rows<Record<string, unknown>>(
      `SELECT key, labels, toString(step) AS step, value, source FROM metric_points WHERE project = {project:String} ORDER BY key`,
      { project },
    );
    t.same(points, [
      { key: 'gpu.utilization', labels: 'gpu=0', step: '5', value: 0.75, source: 2 },
      { key: 'samples', labels: 'split=train', step: '-1', value: 9007199254740994, source: 3 },
    ]);

    const histograms = await harness.rows<Record<string, unknown>>(
      `SELECT metric_name, toString(count) AS count, sum, has_sum, min, max, arrayMap(x -> toString(x), bucket_counts) AS buckets, length(explicit_bounds) AS bounds
         FROM metrics_histogram WHERE project = {project:String}`,
      { project },
    );
    t.equal(histograms.length, 1);
    t.match(histograms[0], { metric_name: 'batch.latency', count: '1', sum: 1.5, has_sum: true, min: 1.5, max: 1.5 });
    const buckets = (histograms[0]?.buckets ?? []) as string[];
    t.equal(buckets.length, Number(histograms[0]?.bounds) + 1, 'one more bucket than bounds');
    t.equal(buckets.reduce((sum, count) => sum + Number(count), 0), 1);
  });
}

t.test('x-mlrun-project header / metadata overrides the resource project', async (t) => {
  for (const transport of ['grpc', 'http/protobuf+gzip'] as const) {
    const project = uniqueProject('override');
    const provider = tracerProvider(
      resourceFor('resource-project', 'run-1'),
      traceExporter(transport, harness, { headers: { 'x-mlrun-project': project } }),
    );
    provider.getTracer('s').startSpan('overridden').end();
    await provider.forceFlush();
    await provider.shutdown();
    const rows = await harness.rows<{ n: string }>('SELECT count() AS n FROM spans WHERE project = {project:String}', { project });
    t.equal(rows[0]?.n, '1', `${transport}: span attributed to the header's project`);
  }
});

t.test('telemetry without a run id or project is stored under service.name, then default', async (t) => {
  const service = uniqueProject('svc');
  const named = tracerProvider(resourceFromAttributes({ 'service.name': service }), traceExporter('http/json', harness));
  named.getTracer('s').startSpan('no-run').end();
  await named.forceFlush();
  const rows = await harness.rows<{ run_id: string; service_name: string }>('SELECT run_id, service_name FROM spans WHERE project = {p:String}', { p: service });
  t.same(rows, [{ run_id: '', service_name: service }]);
  await named.shutdown();
});
