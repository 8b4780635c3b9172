/**
 * Model, provider, token counts and cost of a span. Each field is the first attribute present in its
 * priority list (docs/semantic-conventions.md, "Traces: the normalised span view"); MLflow values are JSON
 * text and are unquoted or parsed. Cost reported by the sender wins over the price table.
 */
import type { AttrReader } from './attrs.js';
import { unquote } from './kind.js';
import { parseMaybeJson } from './messages.js';
import { own } from './otlp-json.js';
import type { PriceTable } from './prices.js';
import { priceFor } from './prices.js';
import type { SpanCost } from './types.js';

const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model', 'llm.response.model_name', 'llm.model_name', 'llm.request.model_name', 'embedding.model_name'];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system'];
const INPUT_TOKEN_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt'];
const OUTPUT_TOKEN_KEYS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion'];

function firstString(r: AttrReader, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = r.str(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function firstCount(r: AttrReader, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = count(r.num(key));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An MLflow attribute holding a JSON object. */
function mlflowObject(r: AttrReader, key: string): unknown {
  return parseMaybeJson(r.value(key));
}

export function modelOf(r: AttrReader): string | null {
  return firstString(r, MODEL_KEYS) ?? unquote(r.str('mlflow.llm.model')) ?? null;
}

export function providerOf(r: AttrReader): string | null {
  return firstString(r, PROVIDER_KEYS) ?? unquote(r.str('mlflow.llm.provider')) ?? null;
}

export function tokensOf(r: AttrReader): { inputTokens: number | null; outputTokens: number | null } {
  const usage = mlflowObject(r, 'mlflow.chat.tokenUsage');
  return {
    inputTokens: firstCount(r, INPUT_TOKEN_KEYS) ?? count(own(usage, 'input_tokens')) ?? null,
    outputTokens: firstCount(r, OUTPUT_TOKEN_KEYS) ?? count(own(usage, 'output_tokens')) ?? null,
  };
}

function finite(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function reported(input: number | null, output: number | null, total: number | null): SpanCost | null {
  if (input === null && output === null && total === null) return null;
  const sum = input !== null && output !== null ? input + output : null;
  return { input, output, total: total ?? sum, source: 'reported' };
}

/** Cost the sender reported: OpenInference `llm.cost.*`, else MLflow `mlflow.llm.cost`. */
function reportedCost(r: AttrReader): SpanCost | null {
  const openInference = reported(finite(r.num('llm.cost.prompt')), finite(r.num('llm.cost.completion')), finite(r.num('llm.cost.total')));
  if (openInference) return openInference;
  const cost = mlflowObject(r, 'mlflow.llm.cost');
  return reported(finite(own(cost, 'input_cost')), finite(own(cost, 'output_cost')), finite(own(cost, 'total_cost')));
}

/**
 * USD from the price table. The total is computed from the token products before dividing, so
 * 1,000 × $2.50 + 500 × $10 per million is exactly 0.0075 (not 0.0025 + 0.005 in floating point).
 */
function tableCost(model: string | null, inputTokens: number | null, outputTokens: number | null, prices: PriceTable): SpanCost | null {
  if (model === null || (inputTokens === null && outputTokens === null)) return null;
  const price = priceFor(model, prices);
  if (!price) return null;
  const inUnits = inputTokens === null ? null : inputTokens * price.inputPerMTok;
  const outUnits = outputTokens === null ? null : outputTokens * price.outputPerMTok;
  return {
    input: inUnits === null ? null : inUnits / 1e6,
    output: outUnits === null ? null : outUnits / 1e6,
    total: ((inUnits ?? 0) + (outUnits ?? 0)) / 1e6,
    source: 'price_table',
  };
}

export function costOf(r: AttrReader, model: string | null, inputTokens: number | null, outputTokens: number | null, prices: PriceTable): SpanCost | null {
  return reportedCost(r) ?? tableCost(model, inputTokens, outputTokens, prices);
}
