/**
 * Sort specs: a comma list of fields, each optionally prefixed with `-` (descending) or `+` (ascending,
 * the default) or followed by `asc` / `desc` (SQL and MLflow habit), read with the filter's field grammar:
 * `-summary.val/loss.last,created` = `summary.val/loss.last desc, created asc`.
 */
import type { SortKey, SortSpec } from '@mlrun/storage';
import type { Cursor } from './cursor.js';
import { advance, atEnd, expectPunct, fail, isPunct } from './cursor.js';
import type { ParseResult } from './errors.js';
import { FIELD_LIST, fieldOf, keywordOf } from './fields.js';
import { guarded } from './parser.js';

/** The most keys one sort spec may have. */
export const MAX_SORT_KEYS = 16;

function key(c: Cursor): SortKey {
  const start = c.tok.span.start;
  const sign = isPunct(c, '-', '+') ? advance(c).text : '+';
  const t = c.tok;
  if (t.kind !== 'path' || keywordOf(t) !== null) return fail(c, FIELD_LIST);
  const field = fieldOf(t);
  if (field.kind === 'tags') fail(c, 'a sortable field (any field but tags)');
  advance(c);
  let direction: 'asc' | 'desc' = sign === '-' ? 'desc' : 'asc';
  let end = t.span.end;
  const word = c.tok.kind === 'path' ? c.tok.text.toLowerCase() : '';
  if (word === 'asc' || word === 'desc') {
    if (start !== t.span.start) fail(c, "',' or end of input", { hint: 'give the direction once: a sign or asc/desc' });
    direction = word;
    end = advance(c).span.end;
  }
  return { field, direction, span: { start, end } };
}

/** Parses a sort spec; empty (or blank) text is `[]`, the caller's default order. */
export function parseSort(text: string): ParseResult<'sort', SortSpec> {
  return guarded('sort', text, (c): SortSpec => {
    const keys: SortKey[] = [];
    if (atEnd(c)) return keys;
    for (;;) {
      if (keys.length === MAX_SORT_KEYS) fail(c, `at most ${MAX_SORT_KEYS} sort keys`);
      keys.push(key(c));
      if (atEnd(c)) return keys;
      expectPunct(c, ',', "',' or end of input");
    }
  });
}
