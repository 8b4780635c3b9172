/**
 * The filter and sort AST of runs and of spans (the traces filter). The query package parses user text
 * into it, each target with its own field set; this package compiles it to parameterised SQL. Every node
 * carries the span of the source text it came from, so errors found after parsing can still point at the
 * input. Offsets are 0-based UTF-16 code unit indices (JS string indices), `end` exclusive.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Fields that are one column of a run. */
export type PlainFieldKind = 'name' | 'status' | 'group' | 'tags' | 'created' | 'duration';

export type SummaryStat = 'last' | 'min' | 'max' | 'count';

/** Where a span attribute lives: the span's own attributes (`attr.<key>`) or its resource's (`resource.<key>`). */
export type AttributeScope = 'attr' | 'resource';

export type Field =
  | { readonly kind: PlainFieldKind; readonly span: Span }
  /** A value inside the run's config; each element is one object key (no array indexing). */
  | { readonly kind: 'config'; readonly path: readonly string[]; readonly span: Span }
  /** One statistic of one metric key's summary. */
  | { readonly kind: 'summary'; readonly key: string; readonly stat: SummaryStat; readonly span: Span }
  /** A span's service name (spans only). */
  | { readonly kind: 'service'; readonly span: Span }
  /** One typed attribute of a span or of its resource (spans only); the key is one attribute name, dots included. */
  | { readonly kind: AttributeScope; readonly key: string; readonly span: Span };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { readonly type: 'string'; readonly value: string; readonly span: Span }
  /** Always finite. */
  | { readonly type: 'number'; readonly value: number; readonly span: Span }
  | { readonly type: 'boolean'; readonly value: boolean; readonly span: Span }
  | { readonly type: 'null'; readonly value: null; readonly span: Span }
  /** A length of time in milliseconds, never negative (`1h30m`). */
  | { readonly type: 'duration'; readonly value: number; readonly span: Span }
  /** An instant, milliseconds since the Unix epoch (from an ISO-8601 string compared with `created`). */
  | { readonly type: 'timestamp'; readonly value: number; readonly span: Span }
  /** An instant relative to the time of compilation, in milliseconds (`-7d` → -604800000). */
  | { readonly type: 'relative-time'; readonly value: number; readonly span: Span };

export type LiteralType = Literal['type'];

export type Pattern =
  /** `*` matches any run of characters, `?` exactly one; everything else is literal. Case-sensitive. */
  | { readonly type: 'glob'; readonly value: string; readonly span: Span }
  /** Passed to the database's regex engine (RE2 in ClickHouse, POSIX ARE in Postgres); unanchored. */
  | { readonly type: 'regex'; readonly source: string; readonly caseInsensitive: boolean; readonly span: Span };

export type Expr =
  | { readonly kind: 'and'; readonly operands: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'or'; readonly operands: readonly Expr[]; readonly span: Span }
  /** The exact complement of its operand: matches every run the operand does not. */
  | { readonly kind: 'not'; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'compare'; readonly field: Field; readonly op: CompareOp; readonly value: Literal; readonly span: Span }
  /** `field in (...)`; negated: `field not in (...)`. For tags: any tag is in the list. */
  | { readonly kind: 'in'; readonly field: Field; readonly values: readonly Literal[]; readonly negated: boolean; readonly span: Span }
  /** `tags has "x"`. */
  | { readonly kind: 'has'; readonly field: Field; readonly value: Literal; readonly span: Span }
  /** `field ~ pattern`; negated: `field !~ pattern`. For tags: any tag matches. */
  | { readonly kind: 'match'; readonly field: Field; readonly pattern: Pattern; readonly negated: boolean; readonly span: Span };

/** A parsed filter; `null` is the empty filter, which matches every run. */
export type Filter = Expr | null;

export type SortDirection = 'asc' | 'desc';

export interface SortKey {
  readonly field: Field;
  readonly direction: SortDirection;
  readonly span: Span;
}

/** Sort keys in priority order; empty means the caller's default order. */
export type SortSpec = readonly SortKey[];
