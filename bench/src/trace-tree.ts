/**
 * One big trace as OTLP protobuf requests: a root, then `fanOut[0]` children, each with `fanOut[1]`
 * children, and so on (100 × 10 × 99 → 100,101 spans; 10 × 10 × 9 → 1,011). Inner spans are agent steps,
 * leaves are LLM calls with GenAI attributes. Spans go leaves first and the root last, as a batch exporter
 * sends a long agent run. Returns the ids the benchmark probes: the root, a child and a grandchild.
 */
import { randomBytes } from 'node:crypto';
import { ExportTraceServiceRequest, Long } from '@mlrun/proto';
import type { Payload } from './payloads.js';

export interface TreeTrace {
  readonly traceId: string;
  readonly spans: number;
  readonly rootId: string;
  /** A child of the root and one of its children (expand targets). */
  readonly childId: string;
  readonly grandchildId: string;
  readonly requests: readonly Payload[];
}

interface Flat {
  readonly id: Uint8Array;
  readonly parent: Uint8Array;
  readonly startMs: number;
  readonly depth: number;
  readonly leaf: boolean;
}

const nanos = (ms: number): Long => Long.fromString((BigInt(Math.round(ms * 1000)) * 1000n).toString(), true);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Post-order (children first), so the root is the last span sent. */
function flatten(fanOut: readonly number[], t0Ms: number): Flat[] {
  const out: Flat[] = [];
  const grow = (parent: Uint8Array, id: Uint8Array, startMs: number, depth: number): void => {
    const n = fanOut[depth] ?? 0;
    for (let i = 0; i < n; i++) grow(id, randomBytes(8), startMs + 1 + i, depth + 1);
    out.push({ id, parent, startMs, depth, leaf: n === 0 });
  };
  grow(new Uint8Array(), randomBytes(8), t0Ms, 0);
  return out;
}

function otlpSpan(traceId: Uint8Array, s: Flat) {
  const attributes = s.leaf
    ? [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: Long.fromNumber(900) } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: Long.fromNumber(120) } },
      ]
    : [{ key: 'gen_ai.operation.name', value: { stringValue: s.depth === 0 ? 'invoke_agent' : 'invoke_workflow' } }];
  return {
    traceId,
    spanId: s.id,
    parentSpanId: s.parent,
    name: s.leaf ? 'chat gpt-4o-mini' : `step ${s.depth}`,
    kind: s.leaf ? 3 : 1,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(s.startMs + 40),
    attributes,
    status: { code: 1 },
  };
}

export function treeTrace(project: string, fanOut: readonly number[], t0Ms: number, perRequest = 10_000): TreeTrace {
  const traceId = randomBytes(16);
  const flat = flatten(fanOut, t0Ms);
  const root = flat.at(-1) as Flat;
  const child = flat.find((s) => s.depth === 1) as Flat;
  const grandchild = flat.find((s) => s.depth === 2 && hex(s.parent) === hex(child.id)) ?? child;
  const requests: Payload[] = [];
  for (let from = 0; from < flat.length; from += perRequest) {
    const spans = flat.slice(from, from + perRequest).map((s) => otlpSpan(traceId, s));
    const request = ExportTraceServiceRequest.fromObject({
      resourceSpans: [{ resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: project } }, { key: 'service.name', value: { stringValue: 'bench-big-agent' } }] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }],
    });
    requests.push({ bytes: ExportTraceServiceRequest.encode(request).finish(), items: spans.length });
  }
  return { traceId: hex(traceId), spans: flat.length, rootId: hex(root.id), childId: hex(child.id), grandchildId: hex(grandchild.id), requests };
}
