/**
 * The ClickHouse dialect: `{name:Type}` parameters for @clickhouse/client's query_params, config as JSON text
 * read with the JSONExtract family (one String parameter per path segment), globs as LIKE, regexes with
 * `match()` (RE2; `(?i)` prepended for case-insensitive ones).
 */
import type { SummaryStat } from './ast.js';
import { globToLike } from './glob.js';
import { clickHouseSink } from './params.js';
import type { ParamSink } from './params.js';
import type { ConfigSortKeys, Dialect, FilterColumns, FilterTarget, ValueKind } from './target.js';

const SCALAR_TYPE: Record<ValueKind, string> = { string: 'String', number: 'Float64', boolean: 'Bool', timestamp: 'Int64' };

const NUMBER_TYPES = "('Int64', 'UInt64', 'Double')";

function configValue(config: string, pathRef: string, kind: 'string' | 'number' | 'boolean'): string {
  const type = `JSONType(${config}, ${pathRef})`;
  switch (kind) {
    case 'string':
      return `if(${type} = 'String', JSONExtractString(${config}, ${pathRef}), NULL)`;
    case 'number':
      return `if(${type} IN ${NUMBER_TYPES}, JSONExtractFloat(${config}, ${pathRef}), NULL)`;
    case 'boolean':
      return `if(${type} = 'Bool', JSONExtractBool(${config}, ${pathRef}) = 1, NULL)`;
  }
}

function configSort(config: string, pathRef: string): ConfigSortKeys {
  const type = `JSONType(${config}, ${pathRef})`;
  return {
    rank: `multiIf(${type} IN ${NUMBER_TYPES}, 0, ${type} = 'String', 1, ${type} = 'Bool', 2, 3)`,
    values: (['number', 'string', 'boolean'] as const).map((kind) => configValue(config, pathRef, kind)),
  };
}

export const clickHouseDialect: Dialect = {
  name: 'clickhouse',
  createSink: ({ prefix }) => clickHouseSink(prefix),
  param(sink, kind, value) {
    const placeholder = sink.add(SCALAR_TYPE[kind], value);
    // Instants travel as Int64 milliseconds: exact, and independent of the server's time zone.
    return kind === 'timestamp' ? `fromUnixTimestamp64Milli(${placeholder})` : placeholder;
  },
  listParam: (sink, kind, values) => sink.add(`Array(${SCALAR_TYPE[kind]})`, values),
  configPath: (sink: ParamSink, path) => path.map((segment) => sink.add('String', segment)).join(', '),
  configValue,
  configIsNull: (config, pathRef) => `(JSONType(${config}, ${pathRef}) = 'Null')`,
  configSort,
  collate: (expr) => expr,
  inList: (value, list) => `has(${list}, ${value})`,
  arrayHas: (array, element) => `has(${array}, ${element})`,
  arrayOverlaps: (array, list) => `hasAny(${array}, ${list})`,
  anyElement: (array, predicate) => `arrayExists(tag_ -> ${predicate('tag_')}, ${array})`,
  match(sink, value, pattern) {
    if (pattern.type === 'glob') return `(${value} LIKE ${sink.add('String', globToLike(pattern.value))})`;
    const source = pattern.caseInsensitive ? `(?i)${pattern.source}` : pattern.source;
    return `match(${value}, ${sink.add('String', source)})`;
  },
};

const STAT_ELEMENT: Record<SummaryStat, string> = { last: "'last'", min: "'min'", max: "'max'", count: "'count'" };

/** A ClickHouse target over the caller's column expressions and summary resolver. */
export function clickHouseTarget(columns: FilterColumns, summary: (key: string, stat: SummaryStat) => string): FilterTarget {
  return { dialect: clickHouseDialect, columns: Object.freeze({ ...columns }), summary };
}

/**
 * The reference runs layout: `name String, status String, group String ('' = none), tags Array(String),
 * created DateTime64(3), duration_ms UInt64, config String (JSON text),
 * summary Map(String, Tuple(last Float64, min Float64, max Float64, count UInt64))`.
 */
export const CLICKHOUSE_RUNS_TARGET: FilterTarget = clickHouseTarget(
  {
    name: 'name',
    status: 'status',
    group: "nullIf(`group`, '')",
    tags: 'tags',
    created: 'created',
    duration: 'duration_ms',
    config: 'config',
  },
  (key, stat) => `if(mapContains(summary, ${key}), tupleElement(summary[${key}], ${STAT_ELEMENT[stat]}), NULL)`,
);
