/**
 * Parse errors are values, never exceptions for the caller: a position (0-based UTF-16 offset into the
 * input, the same unit as AST spans), what was expected there, and one sentence saying both. Internally the
 * recursive-descent parser unwinds with `SyntaxFailure`, caught at its entry points.
 */

export interface FilterError {
  /** 0-based offset into the input; `input.length` for "end of input". */
  readonly position: number;
  /** What would have been valid at `position`, e.g. `a value`, `')'`. */
  readonly expected: string;
  /** `expected a value after '>' at 17, found end of input`. */
  readonly message: string;
}

export type ParseResult<K extends string, T> =
  | ({ readonly ok: true } & { readonly [key in K]: T })
  | { readonly ok: false; readonly error: FilterError };

export interface ErrorDetail {
  readonly position: number;
  readonly expected: string;
  /** The token that was there instead, as source text (quoted) or `end of input`. */
  readonly found?: string;
  /** The token after which the expectation arose (`'>'`), for context. */
  readonly after?: string;
  /** A sentence appended to the message (a hint). */
  readonly hint?: string;
}

export function filterError(d: ErrorDetail): FilterError {
  const after = d.after === undefined ? '' : ` after ${d.after}`;
  const found = d.found === undefined ? '' : `, found ${d.found}`;
  const hint = d.hint === undefined ? '' : `; ${d.hint}`;
  return { position: d.position, expected: d.expected, message: `expected ${d.expected}${after} at ${d.position}${found}${hint}` };
}

export class SyntaxFailure extends Error {
  readonly error: FilterError;
  constructor(detail: ErrorDetail) {
    const error = filterError(detail);
    super(error.message);
    this.error = error;
  }
}

const MAX_SHOWN = 24;

/** Source text as it appears in messages: `'abc'`, shortened past 24 characters. */
export function quote(text: string): string {
  if (text === '') return 'end of input';
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return `'${shown}'`;
}
