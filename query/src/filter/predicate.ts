/**
 * One predicate after its field: `<field> <op> <value>`, `<field> [not] in (…)`, `tags has "x"`,
 * `<field> ~ "glob*"` / `<field> !~ /regex/i`. Which operators and literal types a field accepts is decided
 * here, so a mismatch fails at the operator or literal with what would have been valid.
 */
import type { CompareOp, Expr, Field, Literal, LiteralType, Pattern } from '@mlrun/storage';
import type { Cursor } from './cursor.js';
import { advance, expectPunct, fail, isKeyword, isPunct } from './cursor.js';
import { keywordOf } from './fields.js';
import { parseTimestamp, regexProblem } from './literals.js';

/** The most values one `in (…)` list may hold. */
export const MAX_IN_VALUES = 1000;

export interface Rules {
  readonly compare: boolean;
  readonly inList: boolean;
  readonly has: boolean;
  readonly match: boolean;
  /** Literal types with `=`, `!=` and in lists, and how to name them. */
  readonly equality: readonly LiteralType[];
  readonly equalityText: string;
  /** Literal types with `<`, `<=`, `>`, `>=`. */
  readonly ordering: readonly LiteralType[];
  readonly orderingText: string;
}

const DATE = 'a date ("2026-11-01", "2026-11-01T12:00:00Z") or a relative time (-7d)';
export const text = (equalityText: string, extra: Partial<Rules> = {}): Rules => ({
  compare: true,
  inList: true,
  has: false,
  match: true,
  equality: ['string'],
  equalityText,
  ordering: ['string'],
  orderingText: 'a string',
  ...extra,
});

/** What each field kind accepts; a field set (runs, spans) has its own. */
export type RuleSet = Readonly<Record<Field['kind'], Rules>>;

/** Any value a typed attribute or config value can hold. */
export const ANY_VALUE = text('a string, number, true, false or null', {
  equality: ['string', 'number', 'boolean', 'null'],
  ordering: ['string', 'number'],
  orderingText: 'a string or a number',
});

/** The run fields' rules (the span kinds are listed for completeness: the run field set never yields them). */
export const RUN_RULES: RuleSet = {
  name: text('a string'),
  status: text('a string'),
  group: text('a string or null', { equality: ['string', 'null'] }),
  tags: text('a string', { compare: false, has: true }),
  created: text(DATE, { inList: false, match: false, equality: ['timestamp', 'relative-time'], ordering: ['timestamp', 'relative-time'], orderingText: DATE }),
  duration: text('a duration (90s, 5m, 1h30m) or null', {
    inList: false,
    match: false,
    equality: ['duration', 'null'],
    ordering: ['duration'],
    orderingText: 'a duration (90s, 5m, 1h30m)',
  }),
  config: ANY_VALUE,
  summary: text('a number or null', { match: false, equality: ['number', 'null'], ordering: ['number'], orderingText: 'a number' }),
  service: text('a string'),
  attr: ANY_VALUE,
  resource: ANY_VALUE,
};

const COMPARE_OPS = ['=', '==', '!=', '<', '<=', '>', '>='] as const;

function operatorsOf(r: Rules): string {
  const ops = [...(r.compare ? ['=', '!=', '<', '<=', '>', '>='] : []), ...(r.has ? ['has'] : []), ...(r.inList ? ['in', 'not in'] : []), ...(r.match ? ['~', '!~'] : [])];
  return `an operator (${ops.join(', ')})`;
}

/** Reads the literal at the cursor for `field` (without consuming it), or fails expecting `expected`. */
function readLiteral(c: Cursor, field: Field, expected: string): Literal {
  const t = c.tok;
  const span = t.span;
  if (t.kind === 'string' && field.kind === 'created') {
    const ms = parseTimestamp(t.value);
    if (ms === null) fail(c, 'an ISO-8601 date ("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+02:00")');
    return { type: 'timestamp', value: ms, span };
  }
  if (t.kind === 'string') return { type: 'string', value: t.value, span };
  if (t.kind === 'number') return { type: 'number', value: t.value, span };
  if (t.kind === 'duration' && field.kind === 'created') {
    if (t.value >= 0) fail(c, 'a date or a past relative time (-7d: seven days ago)');
    return { type: 'relative-time', value: t.value, span };
  }
  if (t.kind === 'duration') {
    if (t.value < 0) fail(c, 'a duration (90s, 5m, 1h30m; never negative)');
    return { type: 'duration', value: t.value, span };
  }
  const kw = keywordOf(t);
  if (kw === 'true' || kw === 'false') return { type: 'boolean', value: kw === 'true', span };
  if (kw === 'null') return { type: 'null', value: null, span };
  const bare = t.kind === 'path' && kw === null;
  return fail(c, expected, bare ? { hint: `text values are quoted: "${t.text}"` } : {});
}

/** Reads and consumes a literal of one of `allowed` types. */
function value(c: Cursor, field: Field, allowed: readonly LiteralType[], expected: string): Literal {
  const literal = readLiteral(c, field, expected);
  if (!allowed.includes(literal.type)) fail(c, expected);
  advance(c);
  return literal;
}

function inList(c: Cursor, field: Field, r: Rules, negated: boolean): Expr {
  expectPunct(c, '(', "'(' to start the list");
  const values: Literal[] = [];
  for (;;) {
    if (values.length === MAX_IN_VALUES) fail(c, `at most ${MAX_IN_VALUES} values in the list`);
    values.push(value(c, field, r.equality, r.equalityText));
    if (isPunct(c, ')')) break;
    expectPunct(c, ',', "',' or ')'");
  }
  const close = advance(c);
  return { kind: 'in', field, values, negated, span: { start: field.span.start, end: close.span.end } };
}

function pattern(c: Cursor): Pattern {
  const t = c.tok;
  if (t.kind === 'string') {
    advance(c);
    return { type: 'glob', value: t.value, span: t.span };
  }
  if (t.kind !== 'regex') return fail(c, 'a glob ("resnet-*") or a regex (/res.*/i)');
  const problem = regexProblem(t.source);
  if (problem !== null) fail(c, 'a valid, portable regular expression', { hint: problem });
  advance(c);
  return { type: 'regex', source: t.source, caseInsensitive: t.caseInsensitive, span: t.span };
}

function compare(c: Cursor, field: Field, r: Rules): Expr {
  const opToken = advance(c);
  const raw = opToken.text;
  const op: CompareOp = raw === '==' ? '=' : (raw as CompareOp);
  const equality = op === '=' || op === '!=';
  const literal = value(c, field, equality ? r.equality : r.ordering, equality ? r.equalityText : r.orderingText);
  return { kind: 'compare', field, op, value: literal, span: { start: field.span.start, end: literal.span.end } };
}

/** The rest of a predicate, the cursor just past its field. */
export function predicate(c: Cursor, field: Field, rules: RuleSet = RUN_RULES): Expr {
  const r = rules[field.kind];
  if (r.compare && isPunct(c, ...COMPARE_OPS)) return compare(c, field, r);
  if (r.inList && isKeyword(c, 'in')) {
    advance(c);
    return inList(c, field, r, false);
  }
  if (r.inList && isKeyword(c, 'not')) {
    advance(c);
    if (!isKeyword(c, 'in')) fail(c, "'in'");
    advance(c);
    return inList(c, field, r, true);
  }
  if (r.has && isKeyword(c, 'has')) {
    advance(c);
    const literal = value(c, field, ['string'], 'a string (tags has "baseline")');
    return { kind: 'has', field, value: literal, span: { start: field.span.start, end: literal.span.end } };
  }
  if (r.match && isPunct(c, '~', '!~')) {
    const negated = advance(c).text === '!~';
    const p = pattern(c);
    return { kind: 'match', field, pattern: p, negated, span: { start: field.span.start, end: p.span.end } };
  }
  return fail(c, operatorsOf(r));
}
