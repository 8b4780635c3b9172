/**
 * GenAI span helpers on `@opentelemetry/api` only (any provider): an agent invocation, a tool execution and
 * a model call, named and attributed per the OTel GenAI semantic conventions (docs/semantic-conventions.md,
 * "Agent and LLM work"). Message content is recorded only when `init({ captureMessageContent: true })`.
 */
import type { Attributes, AttributeValue, Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { ChatMessage, MessagePart, OutputMessage } from './messages.js';
import { inputMessagesJson, outputMessagesJson, systemInstructionsJson, toJson } from './messages.js';
import { runInSpan } from './spans.js';
import { helperSettings } from './state.js';

export interface AgentOptions {
  readonly id?: string;
  readonly description?: string;
  readonly version?: string;
  readonly conversationId?: string;
  /** Extra span attributes. */
  readonly attributes?: Attributes;
}

export interface ToolOptions {
  readonly callId?: string;
  readonly description?: string;
  /** `function` (default), `extension` or `datastore`. */
  readonly type?: string;
}

export type LLMOperation = 'chat' | 'text_completion' | 'generate_content' | 'embeddings';

export interface LLMRequest {
  readonly model: string;
  /** `gen_ai.provider.name`: `openai`, `anthropic`, `aws.bedrock`, … */
  readonly provider: string;
  readonly operation?: LLMOperation;
  readonly inputMessages?: readonly ChatMessage[];
  readonly systemInstructions?: string | readonly MessagePart[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly seed?: number;
  readonly stopSequences?: readonly string[];
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
  readonly conversationId?: string;
  readonly attributes?: Attributes;
}

export interface LLMResponse {
  readonly model?: string;
  readonly id?: string;
  readonly outputMessages?: readonly OutputMessage[];
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Included in inputTokens, as the conventions define. */
  readonly cacheReadInputTokens?: number;
  readonly cacheCreationInputTokens?: number;
  /** Included in outputTokens. */
  readonly reasoningOutputTokens?: number;
  readonly finishReasons?: readonly string[];
}

/** What `withLLM`'s callback gets: the span, and a setter for what the model answered. */
export interface LLMSpan {
  readonly span: Span;
  setResponse(response: LLMResponse): void;
}

/** Copies the defined entries, so an absent option never becomes an attribute. */
function defined(entries: Record<string, AttributeValue | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

/** `invoke_agent {name}` (INTERNAL: an in-process agent). */
export function withAgent<T>(name: string, fn: (span: Span) => T, options: AgentOptions = {}): T {
  const attributes = defined({
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': name,
    'gen_ai.agent.id': options.id,
    'gen_ai.agent.description': options.description,
    'gen_ai.agent.version': options.version,
    'gen_ai.conversation.id': options.conversationId,
  });
  return runInSpan(name ? `invoke_agent ${name}` : 'invoke_agent', { kind: SpanKind.INTERNAL, attributes: { ...options.attributes, ...attributes } }, fn);
}

/** `execute_tool {name}` (INTERNAL), with the call's arguments and its (awaited) result as JSON. */
export function withTool<T>(name: string, args: unknown, fn: (span: Span) => T, options: ToolOptions = {}): T {
  const attributes = defined({
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.type': options.type ?? 'function',
    'gen_ai.tool.call.id': options.callId,
    'gen_ai.tool.description': options.description,
    'gen_ai.tool.call.arguments': args === undefined ? undefined : toJson(args),
  });
  return runInSpan(`execute_tool ${name}`, { kind: SpanKind.INTERNAL, attributes }, fn, {
    onResult: (span, value) => {
      if (value !== undefined) span.setAttribute('gen_ai.tool.call.result', toJson(value));
    },
  });
}

function requestAttributes(request: LLMRequest, capture: boolean): Attributes {
  const attributes = defined({
    'gen_ai.operation.name': request.operation ?? 'chat',
    'gen_ai.provider.name': request.provider,
    'gen_ai.request.model': request.model,
    'gen_ai.request.temperature': request.temperature,
    'gen_ai.request.max_tokens': request.maxTokens,
    'gen_ai.request.top_p': request.topP,
    'gen_ai.request.top_k': request.topK,
    'gen_ai.request.seed': request.seed,
    'gen_ai.request.stop_sequences': request.stopSequences ? [...request.stopSequences] : undefined,
    'gen_ai.request.frequency_penalty': request.frequencyPenalty,
    'gen_ai.request.presence_penalty': request.presencePenalty,
    'gen_ai.conversation.id': request.conversationId,
  });
  if (capture && request.inputMessages) attributes['gen_ai.input.messages'] = inputMessagesJson(request.inputMessages);
  if (capture && request.systemInstructions !== undefined) attributes['gen_ai.system_instructions'] = systemInstructionsJson(request.systemInstructions);
  return { ...request.attributes, ...attributes };
}

function responseAttributes(response: LLMResponse, capture: boolean): Attributes {
  const attributes = defined({
    'gen_ai.response.model': response.model,
    'gen_ai.response.id': response.id,
    'gen_ai.response.finish_reasons': response.finishReasons ? [...response.finishReasons] : undefined,
    'gen_ai.usage.input_tokens': response.inputTokens,
    'gen_ai.usage.output_tokens': response.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': response.cacheReadInputTokens,
    'gen_ai.usage.cache_creation.input_tokens': response.cacheCreationInputTokens,
    'gen_ai.usage.reasoning.output_tokens': response.reasoningOutputTokens,
  });
  if (capture && response.outputMessages) attributes['gen_ai.output.messages'] = outputMessagesJson(response.outputMessages, response.finishReasons);
  return attributes;
}

/** `{operation} {model}` (CLIENT): one inference call. Call `setResponse` inside `fn` once the model answered. */
export function withLLM<T>(request: LLMRequest, fn: (llm: LLMSpan) => T): T {
  const capture = helperSettings().captureMessageContent;
  const operation = request.operation ?? 'chat';
  return runInSpan(`${operation} ${request.model}`, { kind: SpanKind.CLIENT, attributes: requestAttributes(request, capture) }, (span) =>
    fn({ span, setResponse: (response) => span.setAttributes(responseAttributes(response, capture)) }),
  );
}
