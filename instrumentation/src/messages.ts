/**
 * GenAI message content in the structured parts format of the OTel GenAI conventions
 * (`gen-ai-input-messages.json`, `gen-ai-output-messages.json`, `gen-ai-system-instructions.json`):
 * `[{ role, parts: [{ type: 'text', content } | { type: 'tool_call', id, name, arguments } |
 * { type: 'tool_call_response', id, response } | …] }]`, serialised as one JSON string attribute.
 */

export interface TextPart {
  readonly type: 'text';
  readonly content: string;
}
export interface ToolCallPart {
  readonly type: 'tool_call';
  readonly id?: string | null;
  readonly name: string;
  readonly arguments?: unknown;
}
export interface ToolCallResponsePart {
  readonly type: 'tool_call_response';
  readonly id?: string | null;
  readonly response: unknown;
}
/** Any other part the conventions define (`reasoning`, `blob`, `uri`, `file`, …) or a custom one. */
export interface GenericPart {
  readonly type: string;
  readonly [key: string]: unknown;
}
export type MessagePart = TextPart | ToolCallPart | ToolCallResponsePart | GenericPart;

/** A message as the conventions shape it, or the shorthand `{ role, content: 'text' }`. */
export type ChatMessage = { readonly role: string; readonly parts: readonly MessagePart[]; readonly name?: string } | { readonly role: string; readonly content: string; readonly name?: string };
export type OutputMessage = ChatMessage & { readonly finish_reason?: string };

interface StructuredMessage {
  role: string;
  parts: readonly MessagePart[];
  name?: string;
  finish_reason?: string;
}

function structured(message: ChatMessage): StructuredMessage {
  const parts = 'parts' in message ? message.parts : [{ type: 'text', content: message.content }];
  const out: StructuredMessage = { role: message.role, parts };
  if (message.name !== undefined) out.name = message.name;
  return out;
}

/** JSON text that never throws: cycles and BigInts become strings rather than losing the span. */
export function toJson(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

export function inputMessagesJson(messages: readonly ChatMessage[]): string {
  return toJson(messages.map(structured));
}

/** Output messages; a message without `finish_reason` takes the response's reason at its index, if known. */
export function outputMessagesJson(messages: readonly OutputMessage[], finishReasons: readonly string[] = []): string {
  return toJson(
    messages.map((message, i) => {
      const out = structured(message);
      const reason = message.finish_reason ?? finishReasons[i];
      if (reason !== undefined) out.finish_reason = reason;
      return out;
    }),
  );
}

export function systemInstructionsJson(instructions: string | readonly MessagePart[]): string {
  return toJson(typeof instructions === 'string' ? [{ type: 'text', content: instructions }] : instructions);
}
