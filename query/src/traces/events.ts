/**
 * Messages carried by span events in the deprecated GenAI conventions: one event per message
 * (`gen_ai.{system,user,assistant,tool}.message`, `gen_ai.choice`) and the older `gen_ai.content.prompt` /
 * `gen_ai.content.completion` events holding `gen_ai.prompt` / `gen_ai.completion`. An event's fields
 * (content, role, tool_calls, id; message and finish_reason on a choice) are read from its attributes, or
 * from a JSON body in `gen_ai.event.content` / `body` when the event was recorded with one.
 */
import type { AttrReader } from './attrs.js';
import { attrReader } from './attrs.js';
import { fromOpenAiMessage, parseMaybeJson } from './messages.js';
import { isRecord, own } from './otlp-json.js';
import type { Message } from './types.js';

const INPUT_EVENTS = new Map<string, string>([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
]);
export const CHOICE_EVENT = 'gen_ai.choice';

/** The event list if it is one; odd input reads as no events. */
export function eventList(events: unknown): { name: string; attributes: AttrReader }[] {
  if (!Array.isArray(events)) return [];
  const out: { name: string; attributes: AttrReader }[] = [];
  for (const e of events as unknown[]) {
    const name = own(e, 'name');
    if (typeof name === 'string') out.push({ name, attributes: attrReader(own(e, 'attributes')) });
  }
  return out;
}
export type EventView = ReturnType<typeof eventList>[number];

/** A field of the event: its own attribute first, else the same key of its JSON body. */
function field(r: AttrReader, body: Record<string, unknown>, key: string): unknown {
  return r.value(key) ?? own(body, key);
}

function bodyOf(r: AttrReader): Record<string, unknown> {
  const body = parseMaybeJson(r.value('gen_ai.event.content') ?? r.value('body'));
  return isRecord(body) ? body : {};
}

function eventMessage(r: AttrReader, role: string): Message[] {
  const body = bodyOf(r);
  const m = {
    role: field(r, body, 'role') ?? role,
    content: field(r, body, 'content'),
    tool_calls: field(r, body, 'tool_calls'),
    tool_call_id: role === 'tool' ? field(r, body, 'id') : undefined,
  };
  return fromOpenAiMessage(m, role);
}

function choiceMessage(r: AttrReader): Message[] {
  const body = bodyOf(r);
  const m = parseMaybeJson(field(r, body, 'message'));
  if (isRecord(m)) return fromOpenAiMessage(m, 'assistant');
  const content = field(r, body, 'content');
  return content === undefined ? [] : fromOpenAiMessage({ role: 'assistant', content }, 'assistant');
}

/** Input messages from per-message events, in event order; undefined when there are none. */
export function inputEventMessages(events: EventView[]): Message[] | undefined {
  const found = events.filter((e) => INPUT_EVENTS.has(e.name));
  if (found.length === 0) return undefined;
  return found.flatMap((e) => eventMessage(e.attributes, INPUT_EVENTS.get(e.name) as string));
}

/** Output messages from `gen_ai.choice` events, in event order; undefined when there are none. */
export function choiceEventMessages(events: EventView[]): Message[] | undefined {
  const found = events.filter((e) => e.name === CHOICE_EVENT);
  if (found.length === 0) return undefined;
  return found.flatMap((e) => choiceMessage(e.attributes));
}

/** The value of `key` on the first event named `eventName` that has it. */
export function eventAttribute(events: EventView[], eventName: string, key: string): unknown {
  for (const e of events) if (e.name === eventName && e.attributes.has(key)) return e.attributes.value(key);
  return undefined;
}

const DEPRECATED_EVENTS = new Set([...INPUT_EVENTS.keys(), CHOICE_EVENT, 'gen_ai.content.prompt', 'gen_ai.content.completion']);

/** Whether any event uses a GenAI name. */
export function hasGenAiEvents(events: EventView[]): boolean {
  return events.some((e) => e.name.startsWith('gen_ai.'));
}

/** Whether any event has a deprecated GenAI name (the message and content events). */
export function hasDeprecatedEvents(events: EventView[]): boolean {
  return events.some((e) => DEPRECATED_EVENTS.has(e.name));
}
