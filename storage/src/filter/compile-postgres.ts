/**
 * The Postgres dialect: `$n::type` positional parameters for `pg` (values in `$n` order from
 * `postgresValues`), config as jsonb read with `#>` / `#>>` and the path as one `text[]` parameter, globs as
 * LIKE, regexes with `~` / `~*` (POSIX ARE). Numbers compare as `numeric`, so no JSON number can overflow a
 * cast; strings order byte-wise (`COLLATE "C"`), as in ClickHouse.
 */
import type { SummaryStat } from './ast.js';
import { globToLike } from './glob.js';
import { postgresSink } from './params.js';
import type { ConfigSortKeys, Dialect, FilterColumns, FilterTarget, ValueKind } from './target.js';

const SCALAR_TYPE: Record<ValueKind, string> = { string: 'text', number: 'numeric', boolean: 'boolean', timestamp: 'timestamptz' };

function configValue(config: string, pathRef: string, kind: 'string' | 'number' | 'boolean'): string {
  const type = `jsonb_typeof(${config} #> ${pathRef})`;
  switch (kind) {
    case 'string':
      return `(CASE WHEN ${type} = 'string' THEN ${config} #>> ${pathRef} END)`;
    case 'number':
      return `(CASE WHEN ${type} = 'number' THEN (${config} #>> ${pathRef})::numeric END)`;
    case 'boolean':
      return `(CASE WHEN ${type} = 'boolean' THEN (${config} #>> ${pathRef})::boolean END)`;
  }
}

function configSort(config: string, pathRef: string): ConfigSortKeys {
  return {
    rank: `(CASE jsonb_typeof(${config} #> ${pathRef}) WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2 ELSE 3 END)`,
    values: [
      configValue(config, pathRef, 'number'),
      `${configValue(config, pathRef, 'string')} COLLATE "C"`,
      configValue(config, pathRef, 'boolean'),
    ],
  };
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  createSink: ({ offset }) => postgresSink(offset),
  param(sink, kind, value) {
    // Instants travel as ISO-8601 text in UTC, which timestamptz parses exactly (milliseconds).
    const bound = kind === 'timestamp' && typeof value === 'number' ? new Date(value).toISOString() : value;
    return sink.add(SCALAR_TYPE[kind], bound);
  },
  listParam: (sink, kind, values) => sink.add(`${SCALAR_TYPE[kind]}[]`, values),
  configPath: (sink, path) => sink.add('text[]', path),
  configValue,
  configIsNull: (config, pathRef) => `(coalesce(jsonb_typeof(${config} #> ${pathRef}), 'null') = 'null')`,
  configSort,
  collate: (expr) => `${expr} COLLATE "C"`,
  inList: (value, list) => `(${value} = ANY(${list}))`,
  arrayHas: (array, element) => `(${array} @> ARRAY[${element}])`,
  arrayOverlaps: (array, list) => `(${array} && ${list})`,
  anyElement: (array, predicate) => `EXISTS (SELECT 1 FROM unnest(${array}) AS tag_(v) WHERE ${predicate('tag_.v')})`,
  match(sink, value, pattern) {
    if (pattern.type === 'glob') return `(${value} LIKE ${sink.add('text', globToLike(pattern.value))})`;
    return `(${value} ${pattern.caseInsensitive ? '~*' : '~'} ${sink.add('text', pattern.source)})`;
  },
};

const STAT_KEY: Record<SummaryStat, string> = { last: "'last'", min: "'min'", max: "'max'", count: "'count'" };

/** A Postgres target over the caller's column expressions and summary resolver. */
export function postgresTarget(columns: FilterColumns, summary: (key: string, stat: SummaryStat) => string): FilterTarget {
  return { dialect: postgresDialect, columns: Object.freeze({ ...columns }), summary };
}

/**
 * The reference runs layout: `name text, status text, "group" text (NULL = none), tags text[],
 * created timestamptz, duration_ms double precision, config jsonb, summary jsonb` where summary is
 * `{"<key>": {"last": n, "min": n, "max": n, "count": n}}`.
 */
export const POSTGRES_RUNS_TARGET: FilterTarget = postgresTarget(
  {
    name: 'name',
    status: 'status',
    group: '"group"',
    tags: 'tags',
    created: 'created',
    duration: 'duration_ms',
    config: 'config',
  },
  (key, stat) => {
    const value = `summary -> ${key} -> ${STAT_KEY[stat]}`;
    return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::text::numeric END)`;
  },
);
