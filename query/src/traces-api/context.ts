/**
 * What every traces route needs besides storage: the price table in use, whether a project exists for the
 * traces API (in the run registry, or with stored spans: an agent that never starts a run still has a
 * project), the traces filter parsed and checked to compile, and ISO instants as milliseconds.
 */
import type { Filter } from '@mlrun/storage';
import { compileFilter, FilterCompileError, projectExists, projectHasTraces, SPAN_FILTER_TARGET } from '@mlrun/storage';
import type { QueryDeps } from '../app.js';
import { badParameter, filterSyntax, NotFound } from '../errors.js';
import { parseFilter } from '../filter/parser.js';
import { SPAN_FIELDS } from '../filter/span-fields.js';
import type { PriceTable } from '../traces/prices.js';
import { DEFAULT_PRICES } from '../traces/prices.js';

export const pricesOf = (deps: QueryDeps): PriceTable => deps.prices ?? DEFAULT_PRICES;

/** 404 unless the registry or the span store knows the project. */
export async function requireProject(deps: QueryDeps, project: string): Promise<void> {
  const [registered, traced] = await Promise.all([projectExists(deps.postgres, project), projectHasTraces(deps.clickhouse, project)]);
  if (!registered && !traced) throw new NotFound(`no project ${JSON.stringify(project)}`);
}

/** The `filter` parameter over span fields, or a 400 with the position at fault. */
export function parseSpanFilter(text: string): Filter {
  const parsed = parseFilter(text, SPAN_FIELDS);
  if (!parsed.ok) throw filterSyntax({ parameter: 'filter', position: parsed.error.position, expected: parsed.error.expected }, parsed.error.message);
  try {
    compileFilter(parsed.ast, SPAN_FILTER_TARGET);
  } catch (error) {
    if (!(error instanceof FilterCompileError)) throw error;
    throw filterSyntax({ parameter: 'filter', position: error.position }, error.message);
  }
  return parsed.ast;
}

/** The instants stored times can hold (ClickHouse DateTime64(9)): 1900-01-01 … 2262-04-11. */
const FIRST_MS = Date.UTC(1900, 0, 1);
const LAST_MS = Date.UTC(2262, 3, 11);

/**
 * An ISO-8601 query parameter (already format-checked) as ms since the epoch; undefined stays undefined.
 * A 400 naming `parameter` for text the format allows but no clock reads (a leap second, 23:59:60) and for
 * instants outside what storage holds.
 */
export function msOf(iso: string | undefined, parameter: string): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw badParameter(parameter, `${JSON.stringify(iso)} is not an instant`);
  if (ms < FIRST_MS || ms > LAST_MS) throw badParameter(parameter, `${iso} is outside 1900-01-01 … 2262-04-11, the range of stored times`);
  return ms;
}
