/**
 * @mlrun/query — the query side of MLRun. Today: the run filter and sort language, parsed into
 * @mlrun/storage's AST (storage compiles it to parameterised SQL). The HTTP API joins it here.
 */
export { parseFilter, MAX_DEPTH, MAX_INPUT_LENGTH } from './filter/parser.js';
export { parseSort, MAX_SORT_KEYS } from './filter/sort.js';
export { MAX_IN_VALUES } from './filter/predicate.js';
export type { FilterError, ParseResult } from './filter/errors.js';
export { buildApp } from './app.js';
export type { QueryApp, QueryDeps } from './app.js';
export { startQueryServer } from './server.js';
export type { QueryServer, QueryServerOptions } from './server.js';
export type { ErrorBody } from './errors.js';
export { DEFAULT_PRICES, loadPriceTable, PriceTableError } from './traces/prices.js';
export type { PriceTable } from './traces/prices.js';
export { SPAN_FIELDS } from './filter/span-fields.js';
