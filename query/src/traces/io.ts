/**
 * A span's tool call (name, arguments, result) and its generic input and output. Each source attribute
 * lands in one normalised field: on a tool span, OpenInference `input.value` / `output.value` and MLflow
 * `mlflow.spanInputs` / `mlflow.spanOutputs` become the tool's arguments and result; otherwise they are
 * the generic input / output, unless the span's messages already show them.
 */
import type { AttrReader } from './attrs.js';
import { unquote } from './kind.js';
import { parseMaybeJson } from './messages.js';
import type { SpanKindName } from './types.js';

export interface ToolView {
  toolName: string | null;
  toolArguments: unknown;
  toolResult: unknown;
}

export interface IoView {
  input: unknown;
  output: unknown;
}

type Side = 'input' | 'output';
const MLFLOW_KEY: Record<Side, string> = { input: 'mlflow.spanInputs', output: 'mlflow.spanOutputs' };

/**
 * OpenInference `input.value` / `output.value`: parsed when its mime type is application/json, kept as text
 * when it is text/plain, and otherwise parsed when it looks like a JSON object or array and parses.
 */
function openInferenceValue(r: AttrReader, side: Side): unknown {
  const value = r.value(`${side}.value`);
  if (typeof value !== 'string') return value;
  const mime = r.str(`${side}.mime_type`)?.toLowerCase();
  if (mime === 'application/json') return parseMaybeJson(value);
  if (mime === undefined && /^\s*[[{]/.test(value)) return parseMaybeJson(value);
  return value;
}

/** The first of OpenInference `<side>.value`, MLflow `mlflow.span<Side>s`; undefined when neither. */
function genericValue(r: AttrReader, side: Side): unknown {
  if (r.has(`${side}.value`)) return openInferenceValue(r, side);
  if (r.has(MLFLOW_KEY[side])) return parseMaybeJson(r.value(MLFLOW_KEY[side]));
  return undefined;
}

/** The tool's name when no attribute gives it: the span name, without GenAI's `execute_tool ` prefix. */
function nameFromSpan(spanName: string): string | null {
  const name = spanName.startsWith('execute_tool ') ? spanName.slice('execute_tool '.length).trim() : spanName;
  return name === '' ? null : name;
}

export function toolOf(r: AttrReader, kind: SpanKindName, spanName: string): ToolView {
  const isTool = kind === 'tool';
  const name = r.str('gen_ai.tool.name') ?? r.str('tool.name') ?? (isTool ? nameFromSpan(spanName) : null);
  const args = r.has('gen_ai.tool.call.arguments') ? parseMaybeJson(r.value('gen_ai.tool.call.arguments')) : isTool ? genericValue(r, 'input') : undefined;
  const result = r.has('gen_ai.tool.call.result') ? parseMaybeJson(r.value('gen_ai.tool.call.result')) : isTool ? genericValue(r, 'output') : undefined;
  return { toolName: name, toolArguments: args ?? null, toolResult: result ?? null };
}

/**
 * Generic input/output. `taken` says which sides are already shown elsewhere: as messages, or (on a tool
 * span whose arguments/result did not come from `gen_ai.tool.call.*`) as the tool's arguments/result.
 */
export function ioOf(r: AttrReader, taken: Record<Side, boolean>): IoView {
  return {
    input: taken.input ? null : (genericValue(r, 'input') ?? null),
    output: taken.output ? null : (genericValue(r, 'output') ?? null),
  };
}

export function sessionOf(r: AttrReader): string | null {
  return r.str('gen_ai.conversation.id') ?? r.str('session.id') ?? unquote(r.str('mlflow.trace.session')) ?? null;
}
