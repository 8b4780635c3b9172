/**
 * Messages that senders flatten into indexed attribute keys, rebuilt by index in numeric order:
 * OpenInference `llm.input_messages.<i>.message.{role,content,contents.<k>.message_content.text,
 * tool_calls.<j>.tool_call.{id,function.name,function.arguments},tool_call_id}` and the OpenLLMetry
 * (Traceloop) form of the deprecated GenAI names, `gen_ai.prompt.<i>.{role,content,tool_call_id}` and
 * `gen_ai.completion.<i>.{role,content,tool_calls.<j>.{id,name,arguments}}`.
 */
import type { AttrReader } from './attrs.js';
import { contentText, message, parseMaybeJson } from './messages.js';
import type { Message, ToolCall } from './types.js';

function calls(groups: AttrReader[], id: string, name: string, args: string): ToolCall[] {
  const out: ToolCall[] = [];
  for (const g of groups) {
    const fn = g.str(name);
    if (fn !== undefined) out.push({ id: g.str(id) ?? null, name: fn, arguments: parseMaybeJson(g.value(args)) ?? null });
  }
  return out;
}

function openInferenceContent(g: AttrReader): string | null {
  const content = g.value('message.content');
  if (content !== undefined) return contentText(content);
  const texts: string[] = [];
  for (const part of g.group('message.contents.')) {
    const type = part.str('message_content.type');
    const text = part.value('message_content.text');
    if ((type === undefined || type === 'text') && typeof text === 'string') texts.push(text);
  }
  return texts.length > 0 ? texts.join('\n') : null;
}

/** OpenInference messages under `prefix` (`llm.input_messages.` or `llm.output_messages.`); undefined when none. */
export function openInferenceMessages(r: AttrReader, prefix: string): Message[] | undefined {
  const groups = r.group(prefix);
  if (groups.length === 0) return undefined;
  return groups.map((g) =>
    message(
      g.str('message.role') ?? 'unknown',
      openInferenceContent(g),
      calls(g.group('message.tool_calls.'), 'tool_call.id', 'tool_call.function.name', 'tool_call.function.arguments'),
      g.str('message.tool_call_id') ?? null,
    ),
  );
}

/** Traceloop content is text, or a JSON list of content parts. */
function traceloopContent(value: unknown): string | null {
  const parsed = typeof value === 'string' && value.trimStart().startsWith('[') ? parseMaybeJson(value) : value;
  return contentText(parsed);
}

/** OpenLLMetry messages under `gen_ai.prompt.` / `gen_ai.completion.`; undefined when none. */
export function traceloopMessages(r: AttrReader, prefix: string, fallbackRole: string): Message[] | undefined {
  const groups = r.group(prefix);
  if (groups.length === 0) return undefined;
  return groups.map((g) =>
    message(
      g.str('role') ?? fallbackRole,
      traceloopContent(g.value('content')),
      calls(g.group('tool_calls.'), 'id', 'name', 'arguments'),
      g.str('tool_call_id') ?? null,
    ),
  );
}
