/**
 * The chat transcript of a span: input and output messages, each taken from the first source that has
 * them, in this order: GenAI `gen_ai.input.messages` / `gen_ai.output.messages` (with
 * `gen_ai.system_instructions` as a leading system message); OpenInference `llm.input_messages.*` /
 * `llm.output_messages.*`; deprecated GenAI `gen_ai.prompt` / `gen_ai.completion` (attribute, flattened
 * `.<i>.*` keys, or `gen_ai.content.*` event); deprecated per-message events; MLflow `mlflow.spanInputs`
 * `{messages}` / `mlflow.spanOutputs` `{choices:[{message}]}`. A source that does not parse is skipped.
 */
import type { AttrReader } from './attrs.js';
import type { EventView } from './events.js';
import { choiceEventMessages, eventAttribute, inputEventMessages } from './events.js';
import { openInferenceMessages, traceloopMessages } from './flattened.js';
import { fromGenAiMessages, fromOpenAiMessage, fromOpenAiMessages, fromSystemInstructions, message, parseMaybeJson } from './messages.js';
import { isRecord, own } from './otlp-json.js';
import type { Message } from './types.js';

type Source = () => Message[] | undefined;

function firstOf(sources: Source[]): Message[] | null {
  for (const source of sources) {
    const found = source();
    if (found !== undefined) return found;
  }
  return null;
}

function genAiInput(r: AttrReader): Message[] | undefined {
  const system = r.has('gen_ai.system_instructions') ? fromSystemInstructions(r.value('gen_ai.system_instructions')) : undefined;
  const messages = r.has('gen_ai.input.messages') ? fromGenAiMessages(parseMaybeJson(r.value('gen_ai.input.messages'))) : undefined;
  if (system === undefined) return messages;
  return [system, ...(messages ?? [])];
}

/**
 * Deprecated `gen_ai.prompt` / `gen_ai.completion`: a JSON list of OpenAI-style messages, or text (one
 * message with `role`).
 */
function legacyContent(value: unknown, role: string): Message[] | undefined {
  if (value === undefined) return undefined;
  const parsed = parseMaybeJson(value);
  if (Array.isArray(parsed)) return fromOpenAiMessages(parsed, role);
  if (isRecord(parsed)) return fromOpenAiMessage(parsed, role);
  return typeof value === 'string' ? [message(role, value)] : undefined;
}

function legacy(r: AttrReader, events: EventView[], key: 'gen_ai.prompt' | 'gen_ai.completion', role: string): Message[] | undefined {
  const eventName = key === 'gen_ai.prompt' ? 'gen_ai.content.prompt' : 'gen_ai.content.completion';
  return (
    legacyContent(r.value(key), role) ??
    traceloopMessages(r, `${key}.`, role) ??
    legacyContent(eventAttribute(events, eventName, key), role)
  );
}

/** `mlflow.spanInputs` when it is an OpenAI chat request (`{messages: […]}`). */
function mlflowInput(r: AttrReader): Message[] | undefined {
  const inputs = parseMaybeJson(r.value('mlflow.spanInputs'));
  return fromOpenAiMessages(own(inputs, 'messages'), 'user');
}

/** `mlflow.spanOutputs` when it is an OpenAI chat response (`{choices: [{message}]}`). */
function mlflowOutput(r: AttrReader): Message[] | undefined {
  const choices = own(parseMaybeJson(r.value('mlflow.spanOutputs')), 'choices');
  if (!Array.isArray(choices) || !choices.some((c) => isRecord(own(c, 'message')))) return undefined;
  return choices.flatMap((c) => fromOpenAiMessage(own(c, 'message'), 'assistant'));
}

export function inputMessages(r: AttrReader, events: EventView[]): Message[] | null {
  return firstOf([
    () => genAiInput(r),
    () => openInferenceMessages(r, 'llm.input_messages.'),
    () => legacy(r, events, 'gen_ai.prompt', 'user'),
    () => inputEventMessages(events),
    () => mlflowInput(r),
  ]);
}

export function outputMessages(r: AttrReader, events: EventView[]): Message[] | null {
  return firstOf([
    () => (r.has('gen_ai.output.messages') ? fromGenAiMessages(parseMaybeJson(r.value('gen_ai.output.messages'))) : undefined),
    () => openInferenceMessages(r, 'llm.output_messages.'),
    () => legacy(r, events, 'gen_ai.completion', 'assistant'),
    () => choiceEventMessages(events),
    () => mlflowOutput(r),
  ]);
}
