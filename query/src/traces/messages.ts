/**
 * Chat messages from the structured shapes senders use, as the normalised `Message`: OTel GenAI
 * `{role, parts:[…]}`, OpenAI chat `{role, content, tool_calls, tool_call_id}` (content as text or as
 * parts, Anthropic `tool_use` / `tool_result` blocks included). Unknown part types (images, audio,
 * reasoning) are left out; text parts are joined with a newline.
 */
import { isRecord, own, parseJson } from './otlp-json.js';
import type { Message, ToolCall } from './types.js';

/** A string that parses as JSON becomes the parsed value; anything else is returned as it is. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseJson(value);
  return parsed.ok ? parsed.value : value;
}

/** A value shown as message text: strings as they are, other values as JSON, nothing as null. */
export function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

function optString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : null;
}

/** What the parts of one message hold. */
interface Collected {
  texts: string[];
  toolCalls: ToolCall[];
  responses: { id: string | null; content: string | null }[];
}

function emptyCollected(): Collected {
  return { texts: [], toolCalls: [], responses: [] };
}

function toolCall(id: unknown, name: unknown, args: unknown): ToolCall | undefined {
  if (typeof name !== 'string') return undefined;
  return { id: optString(id), name, arguments: parseMaybeJson(args) ?? null };
}

/** One content part, whichever convention wrote it, into `into`. */
function collectPart(part: unknown, into: Collected): void {
  if (typeof part === 'string') {
    into.texts.push(part);
    return;
  }
  const type = own(part, 'type');
  if (type === 'text' || type === 'input_text' || type === 'output_text' || type === undefined) {
    const text = own(part, 'content') ?? own(part, 'text');
    if (typeof text === 'string') into.texts.push(text);
  } else if (type === 'tool_call' || type === 'tool_use') {
    const call = toolCall(own(part, 'id'), own(part, 'name'), own(part, 'arguments') ?? own(part, 'input'));
    if (call) into.toolCalls.push(call);
  } else if (type === 'tool_call_response') {
    into.responses.push({ id: optString(own(part, 'id')), content: asText(own(part, 'result') ?? own(part, 'response')) });
  } else if (type === 'tool_result') {
    into.responses.push({ id: optString(own(part, 'tool_use_id')), content: contentText(own(part, 'content')) });
  }
}

/** Text of a `content` that is a string or a list of parts (text parts joined with a newline). */
export function contentText(content: unknown): string | null {
  if (!Array.isArray(content)) return asText(content);
  const into = emptyCollected();
  for (const part of content) collectPart(part, into);
  return into.texts.length > 0 ? into.texts.join('\n') : null;
}

export function message(role: string, content: string | null, toolCalls?: ToolCall[], toolCallId?: string | null): Message {
  const out: Message = { role, content };
  if (toolCalls && toolCalls.length > 0) out.toolCalls = toolCalls;
  if (toolCallId !== undefined && toolCallId !== null) out.toolCallId = toolCallId;
  return out;
}

/** One message per tool result it answers, after one for its text and tool calls (if any). */
function assemble(role: string, c: Collected, toolCallId: string | null = null): Message[] {
  const out: Message[] = [];
  const text = c.texts.length > 0 ? c.texts.join('\n') : null;
  if (c.responses.length === 0 || text !== null || c.toolCalls.length > 0) out.push(message(role, text, c.toolCalls, toolCallId));
  for (const r of c.responses) out.push(message(role, r.content, undefined, r.id));
  return out;
}

function roleOf(m: Record<string, unknown>, fallback: string): string {
  return typeof m.role === 'string' && m.role !== '' ? m.role : fallback;
}

/** GenAI `{role, parts}` messages (a `content` string instead of parts is accepted); undefined when not a list. */
export function fromGenAiMessages(value: unknown): Message[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: Message[] = [];
  for (const m of value.map(parseMaybeJson)) {
    if (!isRecord(m)) continue;
    const c = emptyCollected();
    const parts = own(m, 'parts');
    if (Array.isArray(parts)) for (const part of parts) collectPart(part, c);
    else if (own(m, 'content') !== undefined) c.texts.push(asText(own(m, 'content')) ?? '');
    out.push(...assemble(roleOf(m, 'unknown'), c));
  }
  return out;
}

/** `gen_ai.system_instructions` (a list of parts, or plain text) as one system message. */
export function fromSystemInstructions(value: unknown): Message | undefined {
  const parsed = parseMaybeJson(value);
  const text = Array.isArray(parsed) ? contentText(parsed) : asText(typeof parsed === 'string' ? parsed : value);
  return text === null ? undefined : message('system', text);
}

/** OpenAI-style `tool_calls: [{id, function: {name, arguments}}]` (or `{id, name, arguments}`). */
export function toolCallsFrom(value: unknown): ToolCall[] {
  const list = parseMaybeJson(value);
  if (!Array.isArray(list)) return [];
  const out: ToolCall[] = [];
  for (const tc of list) {
    const fn = own(tc, 'function');
    const call = isRecord(fn)
      ? toolCall(own(tc, 'id'), own(fn, 'name'), own(fn, 'arguments'))
      : toolCall(own(tc, 'id'), own(tc, 'name'), own(tc, 'arguments'));
    if (call) out.push(call);
  }
  return out;
}

/** One OpenAI-style chat message (possibly split in several by tool results); [] when not a message. */
export function fromOpenAiMessage(m: unknown, fallbackRole: string): Message[] {
  if (!isRecord(m)) return [];
  const c = emptyCollected();
  const content = own(m, 'content');
  if (Array.isArray(content)) for (const part of content) collectPart(part, c);
  else if (content !== undefined && content !== null) c.texts.push(asText(content) ?? '');
  c.toolCalls.push(...toolCallsFrom(own(m, 'tool_calls')));
  const fn = own(m, 'function_call');
  const legacy = isRecord(fn) ? toolCall(null, own(fn, 'name'), own(fn, 'arguments')) : undefined;
  if (legacy) c.toolCalls.push(legacy);
  return assemble(roleOf(m, fallbackRole), c, optString(own(m, 'tool_call_id')));
}

/** A list of OpenAI-style chat messages; undefined when not a list. */
export function fromOpenAiMessages(value: unknown, fallbackRole: string): Message[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((m) => fromOpenAiMessage(m, fallbackRole));
}
