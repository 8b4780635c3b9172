/**
 * The filter lexer, pulled one token at a time by the parser (so the first error in reading order is the
 * one reported). Tokens: field paths (`config.optimizer.lr`, `summary."eval/acc@1".max`), strings, numbers,
 * durations (`1h30m`, `-7d`), regexes (`/res.*\/i`), punctuation, and `invalid` for a character that starts
 * nothing (the parser says what it expected instead). Malformed tokens (an unterminated string, a bad
 * escape, `1x`) fail here with their position.
 */
import type { Span } from '@mlrun/storage';
import { SyntaxFailure, quote } from './errors.js';
import { parseDuration } from './literals.js';

export interface Segment {
  readonly text: string;
  readonly quoted: boolean;
  readonly span: Span;
}

export type Punct = '(' | ')' | ',' | '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~' | '-' | '+';

export type Token = { readonly span: Span; readonly text: string } & (
  | { readonly kind: 'path'; readonly segments: readonly Segment[] }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  /** Milliseconds, negative when written with a leading `-`. */
  | { readonly kind: 'duration'; readonly value: number }
  | { readonly kind: 'regex'; readonly source: string; readonly caseInsensitive: boolean }
  | { readonly kind: 'punct'; readonly value: Punct }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'eof' }
);

const PUNCT: readonly Punct[] = ['==', '!=', '<=', '>=', '!~', '(', ')', ',', '=', '<', '>', '~', '-', '+'];
const BARE_START = /[A-Za-z_]/;
const BARE = /[A-Za-z0-9_/-]/;
const WORD = /[A-Za-z0-9_.]/;
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const DURATION = /-?(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+/y;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', r: '\r', t: '\t', '/': '/' };

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function escapeAt(input: string, at: number): { value: string; next: number } {
  const ch = input[at + 1] ?? '';
  const simple = ESCAPES[ch];
  if (simple !== undefined) return { value: simple, next: at + 2 };
  const m = ch === 'u' ? /u(?:([0-9A-Fa-f]{4})|\{([0-9A-Fa-f]{1,6})\})/y : null;
  if (m !== null) {
    m.lastIndex = at + 1;
    const hit = m.exec(input);
    const code = hit === null ? NaN : parseInt(hit[1] ?? hit[2] ?? '', 16);
    if (hit !== null && code > 0 && code <= 0x10ffff) return { value: String.fromCodePoint(code), next: m.lastIndex };
  }
  const expected = 'an escape (\\\\, \\", \\\', \\n, \\r, \\t, \\uXXXX, \\u{X…}; no NUL)';
  throw new SyntaxFailure({ position: at, expected, found: quote(input.slice(at, at + 2)) });
}

/** A quoted string starting at `start` (its quote character). */
export function lexString(input: string, start: number): { value: string; end: number } {
  const q = input[start] ?? '"';
  let value = '';
  let i = start + 1;
  for (;;) {
    const ch = input[i];
    if (ch === undefined) {
      const expected = q === '"' ? "'\"'" : '"\'"';
      throw new SyntaxFailure({ position: i, expected, found: 'end of input', hint: `the string opened at ${start} is not closed` });
    }
    if (ch === q) return { value, end: i + 1 };
    if (ch === '\u0000') throw new SyntaxFailure({ position: i, expected: 'a character other than NUL', found: 'NUL' });
    if (ch === '\\') {
      const e = escapeAt(input, i);
      value += e.value;
      i = e.next;
    } else {
      value += ch;
      i++;
    }
  }
}

function lexSegment(input: string, at: number): Segment {
  const ch = input[at] ?? '';
  if (ch === '"' || ch === "'") {
    const s = lexString(input, at);
    return { text: s.value, quoted: true, span: { start: at, end: s.end } };
  }
  let end = at;
  while (end < input.length && BARE.test(input[end] ?? '')) end++;
  if (end === at) {
    const found = ch === '' ? 'end of input' : quote(ch);
    throw new SyntaxFailure({ position: at, expected: 'a key (letters, digits, _ / -, or a quoted "key")', found, after: "'.'" });
  }
  return { text: input.slice(at, end), quoted: false, span: { start: at, end } };
}

function lexPath(input: string, start: number): Token {
  const segments = [lexSegment(input, start)];
  let end = segments[0]?.span.end ?? start;
  while (input[end] === '.') {
    const seg = lexSegment(input, end + 1);
    segments.push(seg);
    end = seg.span.end;
  }
  return { kind: 'path', segments, span: { start, end }, text: input.slice(start, end) };
}

function lexNumeric(input: string, start: number): Token {
  NUMBER.lastIndex = start;
  DURATION.lastIndex = start;
  const n = NUMBER.exec(input)?.[0] ?? '';
  const d = DURATION.exec(input)?.[0] ?? '';
  const text = d.length > n.length ? d : n;
  let end = start + text.length;
  const span = { start, end };
  if (WORD.test(input[end] ?? '') || text === '') {
    while (WORD.test(input[end] ?? '')) end++;
    throw new SyntaxFailure({ position: start, expected: 'a number or a duration (90s, 5m, 1h30m)', found: quote(input.slice(start, Math.max(end, start + 1))) });
  }
  if (d.length > n.length) {
    const ms = parseDuration(text);
    if (typeof ms === 'string') throw new SyntaxFailure({ position: start, expected: ms, found: quote(text) });
    return { kind: 'duration', value: ms, span, text };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new SyntaxFailure({ position: start, expected: 'a number within ±1.8e308', found: quote(text) });
  return { kind: 'number', value, span, text };
}

function lexRegex(input: string, start: number): Token {
  let source = '';
  let inClass = false;
  let i = start + 1;
  for (;;) {
    const ch = input[i];
    if (ch === undefined) throw new SyntaxFailure({ position: i, expected: "'/'", found: 'end of input', hint: `the regex opened at ${start} is not closed` });
    if (ch === '\u0000') throw new SyntaxFailure({ position: i, expected: 'a character other than NUL', found: 'NUL' });
    if (ch === '/' && !inClass) break;
    if (ch === '\\') {
      // `\/` is a slash; any other escape goes to the regex engine as written. A trailing `\` leaves the
      // regex unclosed, reported at the end of the input.
      const next = input[i + 1];
      if (next === '\u0000') throw new SyntaxFailure({ position: i + 1, expected: 'a character other than NUL', found: 'NUL' });
      source += next === '/' ? '/' : ch + (next ?? '');
      i += next === undefined ? 1 : 2;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    source += ch;
    i++;
  }
  let end = i + 1;
  let caseInsensitive = false;
  for (; /[A-Za-z]/.test(input[end] ?? ''); end++) {
    if (input[end] !== 'i' || caseInsensitive) throw new SyntaxFailure({ position: end, expected: "a regex flag ('i', once)", found: quote(input[end] ?? '') });
    caseInsensitive = true;
  }
  return { kind: 'regex', source, caseInsensitive, span: { start, end }, text: input.slice(start, end) };
}

/** The next token at or after `at` (whitespace skipped). Throws `SyntaxFailure` for a malformed token. */
export function nextToken(input: string, at: number): Token {
  let start = at;
  while (isSpace(input[start] ?? '')) start++;
  const ch = input[start];
  if (ch === undefined) return { kind: 'eof', span: { start, end: start }, text: '' };
  const next = input[start + 1] ?? '';
  if (ch === '"' || ch === "'") {
    const s = lexString(input, start);
    return { kind: 'string', value: s.value, span: { start, end: s.end }, text: input.slice(start, s.end) };
  }
  if (/\d/.test(ch) || ((ch === '-' || ch === '.') && /[\d.]/.test(next))) return lexNumeric(input, start);
  if (BARE_START.test(ch)) return lexPath(input, start);
  if (ch === '/') return lexRegex(input, start);
  const punct = PUNCT.find((p) => input.startsWith(p, start));
  if (punct !== undefined) return { kind: 'punct', value: punct, span: { start, end: start + punct.length }, text: punct };
  const cp = input.codePointAt(start) ?? 0;
  const text = String.fromCodePoint(cp);
  return { kind: 'invalid', span: { start, end: start + text.length }, text };
}
