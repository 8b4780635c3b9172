/**
 * Types of the normalised span view: what `normalizeSpan` reads (a stored span's typed attribute maps)
 * and what it returns (the traces API's `NormalizedSpan`, /work/notes/traces-api.md). normalize.ts
 * re-exports them; the rules are in docs/semantic-conventions.md, "Traces: the normalised span view".
 */

/** A span's attributes as storage keeps them: one map per OTLP value type (docs/storage.md). */
export interface SpanAttributes {
  str: Record<string, string>;
  /** int64 values; beyond 2^53 as a decimal string. */
  int: Record<string, number | string>;
  float: Record<string, number>;
  bool: Record<string, boolean>;
  /** Arrays, key-value lists and bytes as OTLP/JSON AnyValue text, e.g. `{"arrayValue":{"values":[…]}}`. */
  json: Record<string, string>;
}

export interface SpanEventInput {
  name: string;
  attributes: SpanAttributes;
}

export interface SpanInput {
  name: string;
  /** OTLP SpanKind 0..5. */
  kind: number;
  attributes: SpanAttributes;
  events?: SpanEventInput[];
}

export type SpanKindName = 'llm' | 'tool' | 'agent' | 'retriever' | 'embedding' | 'chain' | 'other';

export type ConventionName = 'gen_ai' | 'gen_ai_deprecated' | 'openinference' | 'mlflow';

export interface ToolCall {
  id: string | null;
  name: string;
  /** Parsed JSON when the sender gave a JSON string that parses, else what was sent. */
  arguments: unknown;
}

export interface Message {
  role: string;
  content: string | null;
  /** Present only when the message calls tools. */
  toolCalls?: ToolCall[];
  /** Present only on a tool result that names the call it answers. */
  toolCallId?: string | null;
}

export interface SpanCost {
  input: number | null;
  output: number | null;
  total: number | null;
  source: 'reported' | 'price_table';
}

export interface NormalizedSpan {
  kind: SpanKindName;
  convention: ConventionName | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: SpanCost | null;
  inputMessages: Message[] | null;
  outputMessages: Message[] | null;
  toolName: string | null;
  toolArguments: unknown;
  toolResult: unknown;
  input: unknown;
  output: unknown;
  sessionId: string | null;
  agentName: string | null;
}

/** The part of NormalizedSpan a span tree or list row needs (see summarizeSpan). */
export type SpanSummary = Pick<NormalizedSpan, 'kind' | 'convention' | 'model' | 'provider' | 'inputTokens' | 'outputTokens' | 'cost' | 'toolName'>;
