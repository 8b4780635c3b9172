/**
 * Key completion for the runs filter bar. The token is the run of key characters (letters, digits,
 * `_ . / -`) around the caret; options are the fields whose name starts with the text before the caret, then
 * those containing it (case-insensitive, quotes ignored), in the order: built-ins, config keys, metric summaries. Applying
 * an option replaces [from, to), the whole token, so completing in the middle of a word leaves no tail.
 * Key segments the filter grammar cannot read bare (anything beyond letters, digits, `_ / -`) are quoted:
 * `config."learning rate"`, `summary."acc@1".max`.
 */

export interface Completion {
  from: number;
  to: number;
  options: string[];
}

export const BUILT_IN_FIELDS: readonly string[] = ['name', 'status', 'group', 'tags', 'created', 'duration'];
export const SUMMARY_STATS: readonly string[] = ['last', 'min', 'max'];
const MAX_OPTIONS = 20;
const TOKEN_CHAR = /[A-Za-z0-9_./-]/;
const BARE_SEGMENT = /^[A-Za-z0-9_/-]+$/;

function quoteSegment(seg: string): string {
  return BARE_SEGMENT.test(seg) ? seg : JSON.stringify(seg);
}

/** `root.<key>` with `key`'s dotted segments quoted where needed; `key` may already start with `root.`. */
function field(root: string, key: string): string {
  const bare = key.startsWith(`${root}.`) ? key.slice(root.length + 1) : key;
  return [root, ...bare.split('.').map(quoteSegment)].join('.');
}

/** Every field the filter can name, for these config and metric keys (either with or without their prefix). */
export function fieldNames(keys: { config: string[]; metrics: string[] }): string[] {
  const names = [...BUILT_IN_FIELDS, ...keys.config.map((k) => field('config', k))];
  for (const m of keys.metrics) {
    const base = field('summary', m);
    for (const stat of SUMMARY_STATS) names.push(`${base}.${stat}`);
  }
  return [...new Set(names)];
}

/** Whether `caret` sits inside a quoted string (an odd quote before it, backslash escapes skipped). */
function inString(text: string, caret: number): boolean {
  let open: string | null = null;
  for (let i = 0; i < caret; i++) {
    const ch = text[i];
    if (open !== null && ch === '\\') i++;
    else if (open !== null && ch === open) open = null;
    else if (open === null && (ch === '"' || ch === "'")) open = ch;
  }
  return open !== null;
}

export function complete(
  text: string,
  caret: number,
  keys: { config: string[]; metrics: string[] },
  limit: number = MAX_OPTIONS,
): Completion {
  const at = Math.max(0, Math.min(Math.trunc(caret) || 0, text.length));
  let from = at;
  while (from > 0 && TOKEN_CHAR.test(text[from - 1] ?? '')) from--;
  let to = at;
  while (to < text.length && TOKEN_CHAR.test(text[to] ?? '')) to++;
  const token = text.slice(from, at).toLowerCase();
  // Nothing typed yet, a number (`< 0.5`, `-3`) or a string literal: no key to complete.
  if (token === '' || /^[0-9.-]/.test(token) || inString(text, at)) return { from: at, to: at, options: [] };
  // Matched without their quotes: `config.le` finds `config."learning rate"`.
  const names = fieldNames(keys).map((name) => ({ name, plain: name.replaceAll('"', '').toLowerCase() }));
  const prefixed = names.filter((n) => n.plain.startsWith(token));
  const containing = names.filter((n) => !n.plain.startsWith(token) && n.plain.includes(token));
  return { from, to, options: [...prefixed, ...containing].slice(0, Math.max(0, limit)).map((n) => n.name) };
}
