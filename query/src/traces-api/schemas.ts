/**
 * TypeBox schemas of the traces API (the shapes of /work/notes/traces-api.md): trace summaries, tree nodes,
 * span detail with typed attributes and the normalised view, sessions and stats. `SpanNode` is recursive
 * (`children`), so it is a shared schema with an `$id`, added once to the app (app.ts) and referenced by
 * `Type.Ref`; the OpenAPI document lists it under components/schemas/SpanNode.
 */
import { Type } from 'typebox';
import type { TSchema } from 'typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const HexTraceId = Type.String({ pattern: '^[0-9a-f]{32}$', description: '32 lowercase hex digits' });
export const HexSpanId = Type.String({ pattern: '^[0-9a-f]{16}$', description: '16 lowercase hex digits' });
const Project = Type.String({ minLength: 1, maxLength: 256 });

export const TraceParams = Type.Object({ project: Project, traceId: HexTraceId });
export const SpanParams = Type.Object({ project: Project, traceId: HexTraceId, spanId: HexSpanId });
export const SessionParams = Type.Object({ project: Project, sessionId: Type.String({ minLength: 1, maxLength: 1024 }) });

const L = Type.Literal;

export const SpanKindSchema = Type.Union([L('llm'), L('tool'), L('agent'), L('retriever'), L('embedding'), L('chain'), L('other')]);
export const SpanStatusSchema = Type.Union([Type.Literal('unset'), Type.Literal('ok'), Type.Literal('error')]);

export const TraceSummarySchema = Type.Object({
  traceId: Type.String(),
  rootName: Nullable(Type.String({ description: 'null until the root span (no parent) has arrived' })),
  rootSpanId: Nullable(Type.String()),
  service: Type.String({ description: "the root span's service (the earliest span's while the root is missing)" }),
  startTime: Type.String({ format: 'date-time', description: 'earliest span start' }),
  durationMs: Type.Number({ description: 'earliest start to latest end' }),
  spanCount: Type.Integer(),
  errorCount: Type.Integer({ description: 'spans with status error' }),
  runId: Nullable(Type.String()),
  sessionId: Nullable(Type.String()),
  models: Type.Array(Type.String(), { description: 'every model a span named, sorted' }),
  inputTokens: Type.Integer({ description: 'over model-call spans (agent, workflow and chain spans are left out: they repeat their children)' }),
  outputTokens: Type.Integer(),
  cost: Nullable(Type.Number({ description: 'USD: reported costs plus tokens × the price table per model; null when nothing could be priced' })),
});

/** The recursive tree node; referenced as Type.Ref('SpanNode'). */
export const SpanNodeSchema = Type.Object(
  {
    spanId: Type.String(),
    parentSpanId: Nullable(Type.String()),
    name: Type.String(),
    service: Type.String(),
    startTime: Type.String({ format: 'date-time' }),
    startOffsetMs: Type.Number({ description: 'from the trace start' }),
    durationMs: Type.Number(),
    status: SpanStatusSchema,
    statusMessage: Type.String(),
    kind: SpanKindSchema,
    model: Nullable(Type.String()),
    inputTokens: Nullable(Type.Number()),
    outputTokens: Nullable(Type.Number()),
    cost: Nullable(Type.Number({ description: 'USD, reported or from the price table' })),
    toolName: Nullable(Type.String()),
    childCount: Type.Integer(),
    children: Nullable(Type.Array(Type.Ref('SpanNode'), { description: 'null: not loaded (fetch the children page)' })),
    childrenCursor: Nullable(Type.String({ description: 'set when `children` holds only the first `limit` children: the cursor of the children route for the rest' })),
  },
  { $id: 'SpanNode' },
);

export const SpanNodeRef = Type.Ref('SpanNode');

const ToolCallSchema = Type.Object({ id: Nullable(Type.String()), name: Type.String(), arguments: Type.Unknown() });
const MessageSchema = Type.Object({
  role: Type.String(),
  content: Nullable(Type.String()),
  toolCalls: Type.Optional(Type.Array(ToolCallSchema)),
  toolCallId: Type.Optional(Nullable(Type.String())),
});

export const NormalizedSpanSchema = Type.Object({
  kind: SpanKindSchema,
  convention: Nullable(Type.Union([Type.Literal('gen_ai'), Type.Literal('gen_ai_deprecated'), Type.Literal('openinference'), Type.Literal('mlflow')])),
  model: Nullable(Type.String()),
  provider: Nullable(Type.String()),
  inputTokens: Nullable(Type.Number()),
  outputTokens: Nullable(Type.Number()),
  cost: Nullable(
    Type.Object({
      input: Nullable(Type.Number()),
      output: Nullable(Type.Number()),
      total: Nullable(Type.Number()),
      source: Type.Union([Type.Literal('reported'), Type.Literal('price_table')]),
    }),
  ),
  inputMessages: Nullable(Type.Array(MessageSchema)),
  outputMessages: Nullable(Type.Array(MessageSchema)),
  toolName: Nullable(Type.String()),
  toolArguments: Type.Unknown(),
  toolResult: Type.Unknown(),
  input: Type.Unknown(),
  output: Type.Unknown(),
  sessionId: Nullable(Type.String()),
  agentName: Nullable(Type.String()),
});

export const TypedAttrSchema = Type.Object({
  key: Type.String(),
  type: Type.Union([L('string'), L('int'), L('double'), L('bool'), L('array'), L('kvlist'), L('bytes')]),
  value: Type.Unknown({ description: 'int: a number when exact, else decimal text; double NaN/±Infinity by name; array/kvlist decoded; bytes base64' }),
});

export const SpanDetailSchema = Type.Object({
  span: SpanNodeRef,
  traceState: Type.String(),
  attributes: Type.Array(TypedAttrSchema),
  resource: Type.Array(TypedAttrSchema),
  scope: Type.Object({ name: Type.String(), version: Type.String(), attributes: Type.Array(TypedAttrSchema) }),
  events: Type.Array(Type.Object({ time: Type.String({ format: 'date-time' }), name: Type.String(), attributes: Type.Array(TypedAttrSchema) })),
  links: Type.Array(Type.Object({ traceId: Type.String(), spanId: Type.String(), traceState: Type.String(), attributes: Type.Array(TypedAttrSchema) })),
  normalized: NormalizedSpanSchema,
  runId: Nullable(Type.String()),
  dropped: Type.Object({ attributes: Type.Integer(), events: Type.Integer(), links: Type.Integer() }, { description: 'what the sender dropped (OTLP counts)' }),
});

export const SessionSchema = Type.Object({
  sessionId: Type.String(),
  traceCount: Type.Integer(),
  firstTime: Type.String({ format: 'date-time', description: 'the first trace start' }),
  lastTime: Type.String({ format: 'date-time', description: 'the last span end' }),
  inputTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  cost: Nullable(Type.Number()),
  errorCount: Type.Integer({ description: 'spans with status error' }),
});

export const StatsSchema = Type.Object({
  byModel: Type.Array(Type.Object({ model: Type.String(), spans: Type.Integer(), inputTokens: Type.Integer(), outputTokens: Type.Integer(), cost: Nullable(Type.Number()) })),
  bySpanName: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer(), p50Ms: Type.Number(), p95Ms: Type.Number(), errorRate: Type.Number() })),
  errorRate: Type.Number({ description: 'spans with status error / spans' }),
  traceCount: Type.Integer(),
  spanCount: Type.Integer(),
});

export const TraceListSchema = Type.Object({ traces: Type.Array(TraceSummarySchema), nextCursor: Nullable(Type.String()) });

/** `from`/`to` of the list routes: ISO-8601 instants. */
export const TimeRange = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'traces starting at or after (ISO-8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'traces starting before (ISO-8601)' })),
};
