/**
 * What a span is (`kind`) and which convention said so (`convention`). Rules in order, the first that
 * recognises its attribute decides: `gen_ai.operation.name`; `openinference.span.kind`; `mlflow.spanType`;
 * a GenAI provider (`gen_ai.provider.name`, or the deprecated `gen_ai.system`) together with a model or
 * token counts means an LLM call. Otherwise the kind is `other` and the convention is the first family
 * whose attributes the span carries (GenAI, OpenInference, MLflow), or null.
 */
import type { AttrReader } from './attrs.js';
import type { EventView } from './events.js';
import { hasDeprecatedEvents, hasGenAiEvents } from './events.js';
import type { ConventionName, SpanKindName } from './types.js';

const GEN_AI_OPERATIONS = new Map<string, SpanKindName>([
  ['chat', 'llm'],
  ['generate_content', 'llm'],
  ['text_completion', 'llm'],
  ['embeddings', 'embedding'],
  ['execute_tool', 'tool'],
  ['invoke_agent', 'agent'],
  ['create_agent', 'agent'],
  ['retrieval', 'retriever'],
  ['invoke_workflow', 'chain'],
]);

const OPENINFERENCE_KINDS = new Map<string, SpanKindName>([
  ['LLM', 'llm'],
  ['EMBEDDING', 'embedding'],
  ['TOOL', 'tool'],
  ['AGENT', 'agent'],
  ['RETRIEVER', 'retriever'],
  ['RERANKER', 'retriever'],
  ['CHAIN', 'chain'],
]);

const MLFLOW_TYPES = new Map<string, SpanKindName>([
  ['LLM', 'llm'],
  ['CHAT_MODEL', 'llm'],
  ['TOOL', 'tool'],
  ['AGENT', 'agent'],
  ['RETRIEVER', 'retriever'],
  ['RERANKER', 'retriever'],
  ['EMBEDDING', 'embedding'],
  ['CHAIN', 'chain'],
  ['WORKFLOW', 'chain'],
  ['TASK', 'chain'],
  ['PARSER', 'chain'],
]);

/** Deprecated GenAI names: present alone (with no current-only name), the span is `gen_ai_deprecated`. */
const DEPRECATED_KEYS = new Set(['gen_ai.system', 'gen_ai.usage.prompt_tokens', 'gen_ai.usage.completion_tokens', 'gen_ai.prompt', 'gen_ai.completion']);
const DEPRECATED_PREFIXES = ['gen_ai.prompt.', 'gen_ai.completion.', 'gen_ai.openai.'];
/** Names both generations use; they say nothing about which one the sender follows. */
const SHARED_PREFIXES = ['gen_ai.request.', 'gen_ai.response.'];

const TOKEN_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.prompt_tokens', 'gen_ai.usage.completion_tokens'];
const OPENINFERENCE_PREFIXES = ['openinference.', 'llm.', 'input.', 'output.', 'tool.', 'tool_call.', 'embedding.', 'retrieval.', 'reranker.'];

export interface KindResult {
  kind: SpanKindName;
  convention: ConventionName | null;
}

function isDeprecatedKey(key: string): boolean {
  return DEPRECATED_KEYS.has(key) || DEPRECATED_PREFIXES.some((p) => key.startsWith(p));
}

/** `gen_ai` or `gen_ai_deprecated` for a span with GenAI data; undefined when it has none. */
function genAiFlavour(keys: string[], events: EventView[]): ConventionName | undefined {
  const genAi = keys.filter((k) => k.startsWith('gen_ai.'));
  if (genAi.length === 0 && !hasGenAiEvents(events)) return undefined;
  const current = genAi.some((k) => !isDeprecatedKey(k) && !SHARED_PREFIXES.some((p) => k.startsWith(p)));
  const deprecated = genAi.some(isDeprecatedKey) || hasDeprecatedEvents(events);
  return deprecated && !current ? 'gen_ai_deprecated' : 'gen_ai';
}

/** MLflow writes its attribute values as JSON, so a string is often quoted: `"\"CHAT_MODEL\""`. */
export function unquote(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' && parsed !== '' ? parsed : undefined;
  } catch {
    return value;
  }
}

function fallbackConvention(keys: string[], genAi: ConventionName | undefined): ConventionName | null {
  if (genAi) return genAi;
  if (keys.some((k) => OPENINFERENCE_PREFIXES.some((p) => k.startsWith(p)))) return 'openinference';
  if (keys.some((k) => k.startsWith('mlflow.'))) return 'mlflow';
  return null;
}

export function kindOf(r: AttrReader, events: EventView[]): KindResult {
  const keys = r.keys();
  const genAi = genAiFlavour(keys, events);
  const operation = GEN_AI_OPERATIONS.get(r.str('gen_ai.operation.name') ?? '');
  if (operation) return { kind: operation, convention: genAi ?? 'gen_ai' };
  const openInference = r.str('openinference.span.kind');
  if (openInference !== undefined) return { kind: OPENINFERENCE_KINDS.get(openInference.toUpperCase()) ?? 'other', convention: 'openinference' };
  const mlflow = unquote(r.str('mlflow.spanType'));
  if (mlflow !== undefined) return { kind: MLFLOW_TYPES.get(mlflow.toUpperCase()) ?? 'other', convention: 'mlflow' };
  const provider = r.has('gen_ai.provider.name') || r.has('gen_ai.system');
  const evidence = r.has('gen_ai.request.model') || r.has('gen_ai.response.model') || TOKEN_KEYS.some((k) => r.has(k));
  if (provider && evidence) return { kind: 'llm', convention: genAi ?? 'gen_ai' };
  return { kind: 'other', convention: fallbackConvention(keys, genAi) };
}
