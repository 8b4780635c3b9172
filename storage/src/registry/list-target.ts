/**
 * How the filter language sees the run-list mirror (`runs`, clickhouse/0011) in a list query:
 * - config paths read the flattened typed maps (`config_num` / `config_str` / `config_bool`, kinds in
 *   `config_kinds`), keyed by the JSON text of the path, passed as one String parameter: a map lookup per
 *   row instead of parsing the config JSON;
 * - `summary.<key>.<stat>` reads flat per-key columns of a join computed for exactly the keys the query
 *   names (`s.s<i>_<stat>`), with the run's explicit overrides (`mlrun.summary`) first; NaN counts as
 *   missing (matches no comparison, sorts last).
 */
import type { Expr, SummaryStat } from '../filter/ast.js';
import { clickHouseDialect, clickHouseTarget } from '../filter/compile-clickhouse.js';
import type { ConfigSortKeys, Dialect, FilterTarget } from '../filter/target.js';

const MAP = { number: 'r.config_num', string: 'r.config_str', boolean: 'r.config_bool' } as const;

function configValue(_config: string, path: string, kind: 'string' | 'number' | 'boolean'): string {
  return `if(mapContains(${MAP[kind]}, ${path}), ${MAP[kind]}[${path}], NULL)`;
}

function configSort(config: string, path: string): ConfigSortKeys {
  const kind = `r.config_kinds[${path}]`;
  return {
    rank: `multiIf(${kind} = 'number', 0, ${kind} = 'string', 1, ${kind} = 'boolean', 2, 3)`,
    values: (['number', 'string', 'boolean'] as const).map((k) => configValue(config, path, k)),
  };
}

/** ClickHouse's dialect with config access through the mirror's flattened maps (the `config` column is unused). */
export const mirrorDialect: Dialect = {
  ...clickHouseDialect,
  configPath: (sink, path) => sink.add('String', JSON.stringify(path)),
  configValue,
  // Missing paths read '' from the map.
  configIsNull: (_config, path) => `(r.config_kinds[${path}] IN ('', 'null'))`,
  configSort,
};

const OVERRIDE: Partial<Record<SummaryStat, string>> = { last: 'r.summary_last', min: 'r.summary_min', max: 'r.summary_max' };

/** The joined summary columns of the i-th referenced key (NULL when the run has no points under it). */
function joined(i: number, stat: SummaryStat): string {
  return `if(s.s${i}_n = 0, NULL, s.s${i}_${stat})`;
}

/**
 * A target for a query whose summaries are the keys in `keys` (key → its index in the join), each bound as
 * the parameter `{sk<i>:String}`. The compiler hands `summary()` the placeholder of the key it registered;
 * comparing it with the join's key parameters is constant-folded by ClickHouse.
 */
export function runListTarget(keys: readonly string[]): FilterTarget {
  const target = clickHouseTarget(
    {
      name: "if(r.name = '', r.id, r.name)",
      status: 'r.status_now',
      group: "nullIf(r.`group`, '')",
      tags: 'r.tags',
      created: 'r.created',
      duration: 'r.duration_ms',
      config: 'r.config',
    },
    (key, stat) => {
      const branches = keys.map((_k, i) => `${key} = {sk${i}:String}, ${joined(i, stat)}`);
      const computed = branches.length === 0 ? 'CAST(NULL, \'Nullable(Float64)\')' : `multiIf(${branches.join(', ')}, NULL)`;
      const override = OVERRIDE[stat];
      const value = override ? `if(mapContains(${override}, ${key}), ${override}[${key}], ${computed})` : computed;
      return `if(isNaN(${value}), NULL, ${value})`;
    },
  );
  return { ...target, dialect: mirrorDialect };
}

/** The run-list target for checking that a filter or sort compiles (no summary join). */
export const RUN_LIST_TARGET: FilterTarget = runListTarget([]);

/** The join of flat per-key summary columns for the referenced keys (`{sk<i>:String}` parameters). */
export function summaryJoin(keys: readonly string[]): string {
  const columns = keys.map((_k, i) => {
    const is = `key = {sk${i}:String}`;
    return [
      `countIf(${is}) AS s${i}_n`,
      `argMaxMergeIf(last_value, ${is}) AS s${i}_last`,
      `minIf(min_value, ${is}) AS s${i}_min`,
      `maxIf(max_value, ${is}) AS s${i}_max`,
      `toFloat64(sumIf(point_count, ${is})) AS s${i}_count`,
    ].join(', ');
  });
  return `
LEFT JOIN (
    SELECT run_id, ${columns.join(',\n           ')}
    FROM metric_summaries
    WHERE project = {project:String} AND labels = '' AND key IN {summary_keys:Array(String)}
    GROUP BY run_id
) AS s ON s.run_id = r.id`;
}

/** The read-time columns every query over the mirror computes in its inner SELECT (filters may read either). */
export const DERIVED_COLUMNS = `
    if(status = 'running' AND last_seen_ms < {crash_before:Int64}, 'crashed', status) AS status_now,
    multiIf(started_ms = 0, NULL,
            status_now = 'running', {now_ms:Int64} - started_ms,
            status_now = 'crashed', last_seen_ms - started_ms,
            ended_ms - started_ms) AS duration_ms`;

/** The summary keys a filter reads (a query's summary join carries only those, and the ones its sort or metrics name). */
export function filterSummaryKeys(expr: Expr | null, out: Set<string>): Set<string> {
  if (expr === null) return out;
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const operand of expr.operands) filterSummaryKeys(operand, out);
      return out;
    case 'not':
      return filterSummaryKeys(expr.operand, out);
    default:
      if (expr.field.kind === 'summary') out.add(expr.field.key);
      return out;
  }
}
