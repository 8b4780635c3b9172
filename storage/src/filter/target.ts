/**
 * What a filter compiles against. A `FilterTarget` is the allow-list: the SQL expression of every field
 * (trusted constants written by the caller, never derived from user input) plus the dialect that knows
 * how to extract config values, bind parameters and spell operators. Config paths and summary keys reach
 * SQL only as parameters.
 */
import type { AttributeScope, Field, Pattern, SummaryStat } from './ast.js';
import type { ParamSink } from './params.js';

/** The type a field is compared as: decided by the literal it is compared with. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'timestamp';

/**
 * SQL expressions for the fields a target has (column names or expressions over them). Runs have all but
 * `service`; spans have name, status, duration and service. A field without an expression does not compile.
 */
export interface FilterColumns {
  readonly name: string;
  readonly status: string;
  /** NULL when the run has no group. */
  readonly group?: string;
  /** An array of strings. */
  readonly tags?: string;
  /** A timestamp (ClickHouse DateTime64, Postgres timestamptz). */
  readonly created?: string;
  /** Milliseconds; NULL when unknown. */
  readonly duration: string;
  /** The run config as JSON: text in ClickHouse, jsonb in Postgres. */
  readonly config?: string;
  /** A span's service name. */
  readonly service?: string;
}

/** A config value's sort keys: the type rank (numbers, strings, booleans, then missing) and one key per type. */
export interface ConfigSortKeys {
  readonly rank: string;
  readonly values: readonly string[];
}

export interface Dialect {
  readonly name: 'clickhouse' | 'postgres';
  createSink(options: { readonly prefix: string; readonly offset: number }): ParamSink;
  /** A placeholder for one value of a kind (numbers finite; timestamps in ms since the epoch). */
  param(sink: ParamSink, kind: ValueKind, value: string | number | boolean): string;
  /** A placeholder for an array of strings or numbers. */
  listParam(sink: ParamSink, kind: 'string' | 'number', values: readonly string[] | readonly number[]): string;
  /** Registers a config path and returns the reference `configValue` / `configIsNull` / `configSort` take. */
  configPath(sink: ParamSink, path: readonly string[]): string;
  /** The config value at a path as `kind`, NULL when missing or of another JSON type. */
  configValue(config: string, pathRef: string, kind: 'string' | 'number' | 'boolean'): string;
  /** True when the path is missing or holds JSON null. */
  configIsNull(config: string, pathRef: string): string;
  configSort(config: string, pathRef: string): ConfigSortKeys;
  /** A string expression as it should be ordered (byte order in both dialects). */
  collate(expr: string): string;
  /** `value` is one of the elements of the array `list`. */
  inList(value: string, list: string): string;
  /** The string array `array` contains `element`. */
  arrayHas(array: string, element: string): string;
  /** The string arrays share an element. */
  arrayOverlaps(array: string, list: string): string;
  /** Some element of the array satisfies `predicate` (given the element's SQL). */
  anyElement(array: string, predicate: (element: string) => string): string;
  /** `value` matches the glob or regex; registers the pattern parameter. */
  match(sink: ParamSink, value: string, pattern: Pattern): string;
}

export interface FilterTarget {
  readonly dialect: Dialect;
  readonly columns: FilterColumns;
  /**
   * One statistic of one metric key as a nullable number (NULL when the run has no such key). `key` is the
   * placeholder of the key; `stat` is from the closed set of statistics.
   */
  summary(key: string, stat: SummaryStat): string;
  /** The field kinds this target compiles; absent: every kind it has columns for, config and summary (runs). */
  readonly fields?: readonly Field['kind'][];
  /**
   * Spans: one typed attribute (`scope` says whose) as a nullable value of `kind` — NULL when the key is
   * missing or holds another type. `key` is the placeholder of the attribute name.
   */
  readonly attribute?: (scope: AttributeScope, key: string, kind: 'string' | 'number' | 'boolean') => string;
  /** Spans: true when the attribute is missing from every typed map. */
  readonly attributeIsNull?: (scope: AttributeScope, key: string) => string;
  /**
   * Spans: "the string attribute is present and equals `value`" (a placeholder), in a form a skip index
   * can use; absent, string equality compares `attribute(…, 'string')` with the value.
   */
  readonly attributeEquals?: (scope: AttributeScope, key: string, value: string) => string;
}
