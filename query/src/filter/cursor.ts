/**
 * The parser's position in the token stream: the current token, the one before it (for "after '>'" in
 * messages) and the nesting depth. Every way of failing goes through `fail`, so each error names the
 * current token's position and text.
 */
import type { ErrorDetail } from './errors.js';
import { SyntaxFailure, quote } from './errors.js';
import type { Keyword } from './fields.js';
import { keywordOf } from './fields.js';
import type { Punct, Token } from './lexer.js';
import { nextToken } from './lexer.js';

export interface Cursor {
  readonly input: string;
  tok: Token;
  prev: Token | null;
  depth: number;
}

export function cursor(input: string): Cursor {
  return { input, tok: nextToken(input, 0), prev: null, depth: 0 };
}

export function advance(c: Cursor): Token {
  const taken = c.tok;
  c.prev = taken;
  c.tok = nextToken(c.input, taken.span.end);
  return taken;
}

export function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of input' : quote(token.text);
}

/** Fails at the current token: `expected <expected> after '<prev>' at <pos>, found '<tok>'`. */
export function fail(c: Cursor, expected: string, extra: Pick<ErrorDetail, 'hint'> = {}): never {
  const after = c.prev === null ? undefined : quote(c.prev.text);
  throw new SyntaxFailure({ position: c.tok.span.start, expected, found: describe(c.tok), after, ...extra });
}

export function isKeyword(c: Cursor, keyword: Keyword): boolean {
  return keywordOf(c.tok) === keyword;
}

export function isPunct(c: Cursor, ...values: readonly Punct[]): boolean {
  return c.tok.kind === 'punct' && values.includes(c.tok.value);
}

/** Consumes a punctuation token or fails expecting `expected`. */
export function expectPunct(c: Cursor, value: Punct, expected: string): Token {
  if (!isPunct(c, value)) fail(c, expected);
  return advance(c);
}

export function atEnd(c: Cursor): boolean {
  return c.tok.kind === 'eof';
}
