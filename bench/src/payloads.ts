/**
 * Realistic OTLP payloads, encoded once up front so the load generator measures the receiver, not itself:
 * - metrics: `mlrun.metrics` log events (a training loop's history rows: step + 10 numeric keys each);
 * - spans: agent traces — LLM and tool spans with ~10 attributes, GenAI-style keys, and an event each.
 */
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, Long } from '@mlrun/proto';

const KEYS = ['loss', 'val_loss', 'acc', 'val_acc', 'lr', 'grad_norm', 'tokens_per_s', 'gpu_mem', 'epoch', 'throughput'];

function str(key: string, value: string) {
  return { key, value: { stringValue: value } };
}
function int(key: string, value: number) {
  return { key, value: { intValue: Long.fromNumber(value) } };
}
function dbl(key: string, value: number) {
  return { key, value: { doubleValue: value } };
}

function nanos(ms: number): Long {
  return Long.fromString((BigInt(Math.round(ms * 1000)) * 1000n).toString(), true);
}

export interface Payload {
  readonly bytes: Uint8Array;
  /** Metric points or spans the payload stores. */
  readonly items: number;
}

/**
 * One request of `records` history rows (×10 keys, or × `keys`) for run `run` of project `project`, from
 * step `firstStep`. With `idPrefix`, every record carries `mlrun.record.id` = `<idPrefix>-<step>`, as the
 * Python SDK sends.
 */
export function metricsPayload(project: string, run: string, firstStep: number, records: number, idPrefix?: string, keys: readonly string[] = KEYS): Payload {
  const now = Date.now();
  const logRecords = [];
  for (let i = 0; i < records; i++) {
    const step = firstStep + i;
    logRecords.push({
      timeUnixNano: nanos(now + i),
      eventName: 'mlrun.metrics',
      attributes: [
        ...(idPrefix === undefined ? [] : [str('mlrun.record.id', `${idPrefix}-${step}`)]),
        int('mlrun.step', step),
        ...keys.map((key, k) => dbl(key, Math.sin(step / 100 + k) + k)),
      ],
    });
  }
  const request = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'bench-trainer'), str('mlrun.project', project), str('mlrun.run.id', run)] },
        scopeLogs: [{ scope: { name: 'mlrun', version: '0.1.0' }, logRecords }],
      },
    ],
  });
  return { bytes: ExportLogsServiceRequest.encode(request).finish(), items: records * keys.length };
}

function randomId(bytes: number): Uint8Array {
  const id = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) id[i] = Math.floor(Math.random() * 256);
  id[0] = id[0] || 1;
  return id;
}

function span(traceId: Uint8Array, parent: Uint8Array | undefined, i: number, start: number, conversation = `conv-${i % 17}`) {
  const isLlm = i % 3 !== 2;
  return {
    traceId,
    spanId: randomId(8),
    parentSpanId: parent ?? new Uint8Array(),
    name: isLlm ? 'chat gpt-4o-mini' : 'execute_tool search',
    kind: isLlm ? 3 : 1,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + 250 + (i % 7) * 10),
    attributes: isLlm
      ? [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.provider.name', 'openai'),
          str('gen_ai.request.model', 'gpt-4o-mini'),
          str('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
          int('gen_ai.usage.input_tokens', 1200 + i),
          int('gen_ai.usage.output_tokens', 180 + (i % 50)),
          dbl('gen_ai.request.temperature', 0.2),
          int('gen_ai.request.max_tokens', 1024),
          str('gen_ai.response.id', `chatcmpl-${i}`),
          str('gen_ai.conversation.id', conversation),
        ]
      : [
          str('gen_ai.operation.name', 'execute_tool'),
          str('gen_ai.tool.name', 'search'),
          str('gen_ai.tool.call.id', `call_${i}`),
          str('gen_ai.tool.call.arguments', '{"query":"clickhouse merge tree settings","top_k":5}'),
          str('gen_ai.tool.call.result', '[{"title":"MergeTree","score":0.93}]'),
          int('http.response.status_code', 200),
          str('server.address', 'search.internal'),
          dbl('retrieval.score', 0.93),
          str('gen_ai.conversation.id', conversation),
          str('session.id', `session-${i % 5}`),
        ],
    events: [{ timeUnixNano: nanos(start + 100), name: isLlm ? 'gen_ai.content.prompt' : 'tool.start', attributes: [str('note', 'first token'), int('index', i)] }],
    status: { code: i % 50 === 0 ? 2 : 1 },
  };
}

/** One request of `count` spans in traces of 10 spans each. */
export function spansPayload(project: string, run: string, count: number): Payload {
  const now = Date.now();
  const spans = [];
  let traceId = randomId(16);
  let root: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) {
      traceId = randomId(16);
      root = undefined;
    }
    const s = span(traceId, root, i, now + i);
    root ??= s.spanId;
    spans.push(s);
  }
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'bench-agent'), str('mlrun.project', project), str('mlrun.run.id', run)] },
        scopeSpans: [{ scope: { name: 'mlrun.agent', version: '0.1.0' }, spans }],
      },
    ],
  });
  return { bytes: ExportTraceServiceRequest.encode(request).finish(), items: count };
}

/**
 * One request of agent traces: spans `first` … `first + count - 1` of a stream cut into traces of
 * `perTrace` spans (a root and its children, LLM and tool spans as above; `count` and `first` multiples of
 * `perTrace`, so no trace straddles requests), each trace in one conversation (`gen_ai.conversation.id`,
 * 25 traces each). Trace k starts at `t0Ms + k × gapMs`; span indexes are global, so `gen_ai.response.id`
 * (`chatcmpl-<i>`) names exactly one span of the whole stream.
 */
export function agentTracesPayload(project: string, run: string, first: number, count: number, perTrace: number, t0Ms: number, gapMs: number): Payload {
  const spans = [];
  let traceId = randomId(16);
  let root: Uint8Array | undefined;
  for (let i = first; i < first + count; i++) {
    const k = Math.floor(i / perTrace);
    if (i % perTrace === 0) {
      traceId = randomId(16);
      root = undefined;
    }
    // One conversation per trace, 25 consecutive traces each (the ingest benchmark's spans rotate 17 per span).
    const s = span(traceId, root, i, t0Ms + k * gapMs + (i % perTrace) * 20, `conv-${Math.floor(k / 25)}`);
    root ??= s.spanId;
    spans.push(s);
  }
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'bench-agent'), str('mlrun.project', project), str('mlrun.run.id', run)] },
        scopeSpans: [{ scope: { name: 'mlrun.agent', version: '0.1.0' }, spans }],
      },
    ],
  });
  return { bytes: ExportTraceServiceRequest.encode(request).finish(), items: count };
}

/** One request of `count` OTel Gauge points of one metric (as a host-metrics or GPU meter sends them). */
export function gaugePayload(project: string, run: string, count: number): Payload {
  const now = Date.now();
  const dataPoints = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: nanos(now + i),
    asDouble: (i % 100) / 100,
    attributes: [int('mlrun.step', i), int('gpu', i % 4)],
  }));
  const request = ExportMetricsServiceRequest.fromObject({
    resourceMetrics: [
      {
        resource: { attributes: [str('service.name', 'bench-trainer'), str('mlrun.project', project), str('mlrun.run.id', run)] },
        scopeMetrics: [{ scope: { name: 'gpu-meter' }, metrics: [{ name: 'gpu.utilization', unit: '1', gauge: { dataPoints } }] }],
      },
    ],
  });
  return { bytes: ExportMetricsServiceRequest.encode(request).finish(), items: count };
}
