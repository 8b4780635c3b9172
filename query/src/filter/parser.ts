/**
 * The filter parser: hand-written recursive descent over the pulled token stream, precedence
 * `or` < `and` < `not` < comparison, parentheses to group. Chains of one operator become one n-ary node
 * (`a and b and c` → and[a, b, c]), so a long flat filter is shallow. Bad input is a result, never a throw.
 *
 *   filter    = [ or ] EOF
 *   or        = and { "or" and }
 *   and       = not { "and" not }
 *   not       = "not" not | primary
 *   primary   = "(" or ")" | field predicate
 */
import type { Expr, Filter } from '@mlrun/storage';
import type { Cursor } from './cursor.js';
import { advance, atEnd, cursor, expectPunct, fail, isKeyword, isPunct } from './cursor.js';
import type { FilterError, ParseResult } from './errors.js';
import { SyntaxFailure, filterError } from './errors.js';
import type { FieldSet } from './field-sets.js';
import { RUN_FIELDS } from './field-sets.js';
import { keywordOf } from './fields.js';
import { predicate } from './predicate.js';

/** The longest filter or sort text accepted, in UTF-16 code units. */
export const MAX_INPUT_LENGTH = 4096;
/** The most parentheses and `not`s that may enclose one another. */
export const MAX_DEPTH = 32;

function enter(c: Cursor): void {
  if (c.depth === MAX_DEPTH) fail(c, `at most ${MAX_DEPTH} levels of nesting (parentheses and 'not')`);
  c.depth++;
}

function chain(c: Cursor, kind: 'and' | 'or', operand: (c: Cursor) => Expr): Expr {
  const first = operand(c);
  const operands = [first];
  while (isKeyword(c, kind)) {
    advance(c);
    operands.push(operand(c));
  }
  if (operands.length === 1) return first;
  const end = operands.at(-1)?.span.end ?? first.span.end;
  return { kind, operands, span: { start: first.span.start, end } };
}

function or(c: Cursor, f: FieldSet): Expr {
  return chain(c, 'or', (c) => and(c, f));
}

function and(c: Cursor, f: FieldSet): Expr {
  return chain(c, 'and', (c) => not(c, f));
}

function not(c: Cursor, f: FieldSet): Expr {
  if (!isKeyword(c, 'not')) return primary(c, f);
  enter(c);
  const start = advance(c).span.start;
  const operand = not(c, f);
  c.depth--;
  return { kind: 'not', operand, span: { start, end: operand.span.end } };
}

function primary(c: Cursor, f: FieldSet): Expr {
  if (isPunct(c, '(')) {
    enter(c);
    advance(c);
    const inner = or(c, f);
    expectPunct(c, ')', "'and', 'or' or ')'");
    c.depth--;
    return inner;
  }
  const t = c.tok;
  if (t.kind !== 'path' || keywordOf(t) !== null) return fail(c, `${f.expected}, 'not' or '('`);
  const field = f.fieldOf(t);
  advance(c);
  return predicate(c, field, f.rules);
}

/** Runs a parse, turning `SyntaxFailure` into an error result; anything else is a bug and propagates. */
export function guarded<K extends string, T>(key: K, text: string, parse: (c: Cursor) => T): ParseResult<K, T> {
  if (text.length > MAX_INPUT_LENGTH) {
    const error: FilterError = filterError({ position: MAX_INPUT_LENGTH, expected: `at most ${MAX_INPUT_LENGTH} characters`, found: `${text.length} characters` });
    return { ok: false, error };
  }
  try {
    const value = parse(cursor(text));
    return { ok: true, [key]: value };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { ok: false, error: error.error };
    throw error;
  }
}

/**
 * Parses filter text into storage's AST, with the fields of one target (runs unless told). Empty (or
 * blank) text is the empty filter, `null`, which matches everything. Errors name the position and what was
 * expected there.
 */
export function parseFilter(text: string, fields: FieldSet = RUN_FIELDS): ParseResult<'ast', Filter> {
  return guarded('ast', text, (c): Filter => {
    if (atEnd(c)) return null;
    const ast = or(c, fields);
    if (!atEnd(c)) fail(c, "'and', 'or' or end of input");
    return ast;
  });
}
