/**
 * Compiles a filter or sort AST to parameterised SQL for a `FilterTarget`. The SQL text is built only from
 * the target's expressions, the dialect's fixed fragments and placeholders; every literal, config path and
 * summary key travels as a typed parameter.
 *
 * Semantics (docs/filter-language.md):
 * - Comparisons are typed by their literal: a config value compares only with a literal of its JSON type
 *   (`config.lr < 1e-3` never matches `"lr": "0.001"`).
 * - A missing (or JSON null) value matches no comparison except `= null` / `!= null`. Negated forms
 *   (`!=`, `not in`, `!~`) match only runs where the value is present: present and not equal / not in /
 *   not matching.
 * - `not` is the exact complement of its operand (two-valued logic): the operand's NULLs count as false.
 * - Span targets (the traces filter) add `service` and typed attributes (`attr.<key>`, `resource.<key>`),
 *   read through the target's attribute accessors; a field a target lacks does not compile.
 */
import type { Expr, Field, Filter, Literal, SortSpec } from './ast.js';
import type { Ctx } from './context.js';
import { allowed, attributes, column, context, invalid, ref } from './context.js';
import type { CompiledSql } from './params.js';
import type { FilterTarget, ValueKind } from './target.js';

export { FilterCompileError } from './context.js';

export interface CompileOptions {
  /** ClickHouse parameter name prefix (default `f` for filters, `s` for sorts), so the two can share a statement. */
  readonly prefix?: string;
  /** Postgres: how many `$n` parameters the surrounding statement already uses; ours start at `$<offset+1>`. */
  readonly offset?: number;
  /** The instant relative times (`created > -7d`) count from, in ms since the epoch (default: now). */
  readonly now?: number;
}

const COLUMN_KIND = { name: 'string', status: 'string', group: 'string', created: 'timestamp', duration: 'number', service: 'string' } as const;

/** The field as a nullable SQL value of `kind`. */
function value(field: Field, kind: ValueKind, ctx: Ctx): string {
  switch (field.kind) {
    case 'config':
      if (kind === 'timestamp') throw invalid('a timestamp', field);
      return ctx.target.dialect.configValue(column(field, ctx), ref(field, ctx), kind);
    case 'summary':
      if (kind !== 'number') throw invalid(`a ${kind}`, field);
      return ctx.target.summary(ref(field, ctx), field.stat);
    case 'attr':
    case 'resource':
      if (kind === 'timestamp') throw invalid('a timestamp', field);
      return attributes(field, ctx).attribute(field.kind, ref(field, ctx), kind);
    case 'tags':
      throw invalid('a scalar comparison', field);
    default:
      if (COLUMN_KIND[field.kind] !== kind) throw invalid(`a ${kind}`, field);
      return column(field, ctx);
  }
}

/** True when the field has no value (SQL), or null when it always has one (tags). */
function absent(field: Field, ctx: Ctx): string | null {
  switch (field.kind) {
    case 'tags':
      return null;
    case 'config':
      return ctx.target.dialect.configIsNull(column(field, ctx), ref(field, ctx));
    case 'summary':
      return `(${value(field, 'number', ctx)} IS NULL)`;
    case 'attr':
    case 'resource':
      return attributes(field, ctx).attributeIsNull(field.kind, ref(field, ctx));
    default:
      return `(${column(field, ctx)} IS NULL)`;
  }
}

function present(field: Field, ctx: Ctx): string | null {
  const none = absent(field, ctx);
  return none === null ? null : `(NOT ${none})`;
}

function isNull(field: Field, ctx: Ctx): string {
  const none = absent(field, ctx);
  if (none === null) throw invalid('null', field);
  return none;
}

/** Present, and the positive form does not hold. */
function negate(field: Field, positive: string, ctx: Ctx): string {
  const has = present(field, ctx);
  const not = `NOT coalesce(${positive}, false)`;
  return has === null ? `(${not})` : `(${has} AND ${not})`;
}

function kindOf(literal: Literal): ValueKind | null {
  switch (literal.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'duration':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
    case 'relative-time':
      return 'timestamp';
    case 'null':
      return null;
  }
}

function param(literal: Literal, kind: ValueKind, ctx: Ctx): string {
  if (literal.type === 'null') throw new TypeError('filter compile: null has no parameter');
  const v = literal.type === 'relative-time' ? ctx.now + literal.value : literal.value;
  return ctx.target.dialect.param(ctx.sink, kind, v);
}

function compare(e: Expr & { kind: 'compare' }, ctx: Ctx): string {
  const { field, op, value: literal } = e;
  const kind = kindOf(literal);
  if (kind === null) {
    if (op === '=') return isNull(field, ctx);
    if (op !== '!=') throw new TypeError(`filter compile: null compares with = and != only (at ${literal.span.start})`);
    const has = present(field, ctx);
    if (has === null) throw invalid('null', field);
    return has;
  }
  if (kind === 'boolean' && op !== '=' && op !== '!=') throw new TypeError(`filter compile: booleans compare with = and != only (at ${literal.span.start})`);
  const v = value(field, kind, ctx);
  const p = param(literal, kind, ctx);
  const equal = kind === 'string' && (field.kind === 'attr' || field.kind === 'resource') ? ctx.target.attributeEquals?.(field.kind, ref(field, ctx), p) : undefined;
  if (op === '!=') return negate(field, equal ?? `(${v} = ${p})`, ctx);
  if (op === '=') return equal ?? `(${v} = ${p})`;
  return kind === 'string' ? `(${ctx.target.dialect.collate(v)} ${op} ${p})` : `(${v} ${op} ${p})`;
}

/** `field in (...)`: one array test per literal kind, ORed; null members test for absence. */
function inPositive(field: Field, values: readonly Literal[], ctx: Ctx): string {
  const { dialect } = ctx.target;
  const strings = values.flatMap((l) => (l.type === 'string' ? [l.value] : []));
  if (field.kind === 'tags') {
    if (strings.length !== values.length) throw invalid('a non-string member', field);
    return dialect.arrayOverlaps(column(field, ctx), dialect.listParam(ctx.sink, 'string', strings));
  }
  const numbers = values.flatMap((l) => (l.type === 'number' || l.type === 'duration' ? [l.value] : []));
  const parts: string[] = [];
  if (strings.length > 0) parts.push(dialect.inList(value(field, 'string', ctx), dialect.listParam(ctx.sink, 'string', strings)));
  if (numbers.length > 0) parts.push(dialect.inList(value(field, 'number', ctx), dialect.listParam(ctx.sink, 'number', numbers)));
  for (const l of values) {
    const kind = kindOf(l);
    if (kind === null) parts.push(isNull(field, ctx));
    else if (kind === 'boolean' || kind === 'timestamp') parts.push(`(${value(field, kind, ctx)} = ${param(l, kind, ctx)})`);
  }
  if (parts.length === 0) throw invalid('an empty list', field);
  return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' OR ')})`;
}

function match(e: Expr & { kind: 'match' }, ctx: Ctx): string {
  const { dialect } = ctx.target;
  const positive =
    e.field.kind === 'tags'
      ? dialect.anyElement(column(e.field, ctx), (element) => dialect.match(ctx.sink, element, e.pattern))
      : dialect.match(ctx.sink, value(e.field, 'string', ctx), e.pattern);
  return e.negated ? negate(e.field, positive, ctx) : positive;
}

function has(e: Expr & { kind: 'has' }, ctx: Ctx): string {
  if (e.field.kind !== 'tags') throw invalid('has', e.field);
  if (e.value.type !== 'string') throw invalid(`has ${e.value.type}`, e.field);
  return ctx.target.dialect.arrayHas(column(e.field, ctx), ctx.target.dialect.param(ctx.sink, 'string', e.value.value));
}

function expr(e: Expr, ctx: Ctx): string {
  if (e.kind !== 'and' && e.kind !== 'or' && e.kind !== 'not') allowed(e.field, ctx);
  switch (e.kind) {
    case 'and':
    case 'or':
      if (e.operands.length === 0) throw new TypeError(`filter compile: empty ${e.kind}`);
      return `(${e.operands.map((o) => expr(o, ctx)).join(e.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT coalesce(${expr(e.operand, ctx)}, false))`;
    case 'compare':
      return compare(e, ctx);
    case 'in': {
      const positive = inPositive(e.field, e.values, ctx);
      return e.negated ? negate(e.field, positive, ctx) : positive;
    }
    case 'has':
      return has(e, ctx);
    case 'match':
      return match(e, ctx);
  }
}

/** A boolean SQL condition for WHERE; the empty filter (`null`) compiles to `true`. */
export function compileFilter(filter: Filter, target: FilterTarget, options: CompileOptions = {}): CompiledSql {
  const ctx = context(target, options, 'f');
  const sql = filter === null ? 'true' : expr(filter, ctx);
  return { sql, params: ctx.sink.params };
}

/** One ORDER BY term: an expression, its direction (missing values always last) and its value kind. */
export interface SortTerm {
  readonly sql: string;
  readonly descending: boolean;
  /** The kind of the term's values, for keyset cursors; the config type rank is a number. */
  readonly kind: ValueKind;
  /** False only for terms that are never NULL (the config type rank); NULLs sort last in either direction. */
  readonly nullable: boolean;
}

function sortTerms(field: Field, descending: boolean, ctx: Ctx): SortTerm[] {
  const { dialect } = ctx.target;
  allowed(field, ctx);
  switch (field.kind) {
    case 'tags':
    case 'attr':
    case 'resource':
      throw invalid('sorting', field);
    case 'config': {
      const keys = dialect.configSort(column(field, ctx), ref(field, ctx));
      const kinds = ['number', 'string', 'boolean'] as const;
      return [
        { sql: keys.rank, descending: false, kind: 'number', nullable: false },
        ...keys.values.map((sql, i) => ({ sql, descending, kind: kinds[i] ?? 'string', nullable: true })),
      ];
    }
    case 'summary':
      return [{ sql: value(field, 'number', ctx), descending, kind: 'number', nullable: true }];
    default: {
      const kind = COLUMN_KIND[field.kind];
      const sql = column(field, ctx);
      // Said nullable whatever the column: the cost is an `IS NULL` that is always false.
      return [{ sql: kind === 'string' ? dialect.collate(sql) : sql, descending, kind, nullable: true }];
    }
  }
}

/** The ORDER BY terms of a sort spec, for callers that build keyset conditions over them. */
export function compileSortTerms(sort: SortSpec, target: FilterTarget, options: CompileOptions = {}): { terms: SortTerm[]; params: CompiledSql['params'] } {
  const ctx = context(target, options, 's');
  const terms = sort.flatMap((key) => sortTerms(key.field, key.direction === 'desc', ctx));
  return { terms, params: ctx.sink.params };
}

/**
 * An ORDER BY list (without the keywords); '' for an empty spec. Missing values sort last in both
 * directions; config values sort by type first (numbers, strings, booleans, missing), then by value.
 */
export function compileSort(sort: SortSpec, target: FilterTarget, options: CompileOptions = {}): CompiledSql {
  const { terms, params } = compileSortTerms(sort, target, options);
  const sql = terms.map((t) => `${t.sql} ${t.descending ? 'DESC' : 'ASC'}${t.nullable ? ' NULLS LAST' : ''}`).join(', ');
  return { sql, params };
}
