/**
 * Run groups on the ClickHouse read mirror (`runs`, 0011): a project's runs matching a compiled filter,
 * grouped by their `group` or by one config path, with per group the number of runs, how many are running
 * (read-time status, crash timeout applied), and mean/min/max/count of chosen metric summaries. The
 * dashboard's runs table shows these as group rows.
 *
 * The rows are the run list's (list.ts): the mirror read with FINAL (highest revision per run, deletions
 * dropped), `deleted = 0`, the same read-time status, and summaries joined in for exactly the keys the
 * filter and the metrics name, explicit overrides first and NaN as missing (list-target.ts).
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { QueryParamValue } from '../clickhouse/params.js';
import { float64 } from '../clickhouse/queries/values.js';
import type { Filter, SummaryStat } from '../filter/ast.js';
import { compileFilter } from '../filter/compile.js';
import type { ConfigSortKeys } from '../filter/target.js';
import { clickHouseQueryParams, clickHouseSink } from '../filter/params.js';
import { DERIVED_COLUMNS, filterSummaryKeys, mirrorDialect, runListTarget, summaryJoin } from './list-target.js';

/** What runs are grouped by: their `group` field, or the value at a config path. */
export type GroupBy = { readonly kind: 'group' } | { readonly kind: 'config'; readonly path: readonly string[] };

/** One metric statistic to aggregate per group (`summary.<key>.<stat>` of the filter language). */
export interface GroupMetric {
  readonly key: string;
  readonly stat: SummaryStat;
}

export const MAX_GROUP_METRICS = 10;
export const MAX_GROUPS = 1000;

export interface RunGroupsQuery {
  readonly project: string;
  readonly filter: Filter;
  readonly by: GroupBy;
  readonly metrics: readonly GroupMetric[];
  /** At most MAX_GROUPS; more groups set `truncated`. */
  readonly limit: number;
  /** `running` runs silent for longer than this count as `crashed`. */
  readonly crashAfterMs: number;
  /** The read's clock (ms since the epoch); tests pin it. */
  readonly nowMs?: number;
}

/** A group's value: a config scalar typed as in the config, a group name, or null (see readRunGroups). */
export type GroupValue = string | number | boolean | null;

/** A metric over a group's runs that have a value; mean/min/max null when none has. */
export interface GroupAggregate {
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly count: number;
}

export interface RunGroup {
  readonly value: GroupValue;
  readonly count: number;
  readonly running: number;
  /** One per query metric, in the query's order. */
  readonly metrics: readonly GroupAggregate[];
}

export interface RunGroups {
  /** By count descending, then value: numbers, strings (byte order), booleans, then null. */
  readonly groups: readonly RunGroup[];
  /** More groups matched than `limit`. */
  readonly truncated: boolean;
}

/**
 * The grouping key as the config sort sees a value: a type rank (0 number, 1 string, 2 boolean, 3 none)
 * and one nullable column per type, so numbers group and order as numbers. The group field is a string.
 */
function groupKeys(by: GroupBy, params: Record<string, QueryParamValue>): ConfigSortKeys {
  if (by.kind === 'group') {
    return { rank: "if(r.`group` = '', 3, 1)", values: ["CAST(NULL, 'Nullable(Float64)')", "nullIf(r.`group`, '')", "CAST(NULL, 'Nullable(Bool)')"] };
  }
  const sink = clickHouseSink('gp');
  const keys = mirrorDialect.configSort('r.config', mirrorDialect.configPath(sink, by.path));
  Object.assign(params, clickHouseQueryParams({ sql: '', params: sink.params }));
  return keys;
}

function statement(query: RunGroupsQuery, now: number): { sql: string; params: Record<string, QueryParamValue> } {
  const keys = [...new Set([...filterSummaryKeys(query.filter, new Set()), ...query.metrics.map((m) => m.key)])];
  const target = runListTarget(keys);
  const filter = compileFilter(query.filter, target, { now });
  const params: Record<string, QueryParamValue> = {
    ...clickHouseQueryParams(filter),
    ...Object.fromEntries(keys.map((key, i) => [`sk${i}`, key])),
    now_ms: now,
    crash_before: now - query.crashAfterMs,
    project: query.project,
    summary_keys: keys,
    limit: query.limit + 1,
  };
  const group = groupKeys(query.by, params);
  // The key placeholder handed to the summary resolver is the join's own, so its comparison folds away.
  const metrics = query.metrics.map((m, i) => `${target.summary(`{sk${keys.indexOf(m.key)}:String}`, m.stat)} AS m${i}`);
  const aggregates = query.metrics.map((_m, i) => `avg(m${i}) AS m${i}_mean, min(m${i}) AS m${i}_min, max(m${i}) AS m${i}_max, count(m${i}) AS m${i}_n`);
  const runs = `(SELECT *, ${DERIVED_COLUMNS} FROM runs FINAL WHERE project = {project:String} AND deleted = 0) AS r`;
  const inner = [`${group.rank} AS g_rank`, ...group.values.map((v, i) => `${v} AS g${i}`), "r.status_now = 'running' AS is_running", ...metrics];
  const sql = `
SELECT g_rank, g0, g1, g2, count() AS n, countIf(is_running) AS running${aggregates.map((a) => `, ${a}`).join('')}
FROM (SELECT ${inner.join(', ')} FROM ${runs}${keys.length > 0 ? summaryJoin(keys) : ''} WHERE ${filter.sql})
GROUP BY g_rank, g0, g1, g2
ORDER BY n DESC, g_rank ASC, g0 ASC, g1 ASC, g2 ASC
LIMIT {limit:UInt32}`;
  return { sql, params };
}

interface GroupRecord {
  g_rank: number;
  g0: number | string | null;
  g1: string | null;
  g2: boolean | null;
  n: string;
  running: string;
  [aggregate: `m${number}_${'mean' | 'min' | 'max' | 'n'}`]: number | string | null;
}

function valueOf(r: GroupRecord): GroupValue {
  switch (Number(r.g_rank)) {
    case 0:
      return float64(r.g0, 'g0');
    case 1:
      return r.g1;
    case 2:
      return r.g2;
    default:
      return null;
  }
}

function aggregate(r: GroupRecord, i: number): GroupAggregate {
  const count = Number(r[`m${i}_n`]);
  const stat = (name: 'mean' | 'min' | 'max'): number | null => (count === 0 ? null : float64(r[`m${i}_${name}`], `m${i}_${name}`));
  return { mean: stat('mean'), min: stat('min'), max: stat('max'), count };
}

/**
 * A project's matching runs in groups. The value null gathers the runs without one: no group, or a config
 * path that is missing, JSON null, or not a scalar (an array or object has no single value to group by).
 * Throws RangeError for a limit or metric count past the maxima.
 */
export async function readRunGroups(ch: ClickHouse, query: RunGroupsQuery): Promise<RunGroups> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_GROUPS) throw new RangeError(`limit must be 1 to ${MAX_GROUPS}`);
  if (query.metrics.length > MAX_GROUP_METRICS) throw new RangeError(`at most ${MAX_GROUP_METRICS} metrics`);
  const { sql, params } = statement(query, query.nowMs ?? Date.now());
  const rows = await ch.query<GroupRecord>({ sql, params, tag: 'runs.groups' });
  const groups = rows.slice(0, query.limit).map((r) => ({
    value: valueOf(r),
    count: Number(r.n),
    running: Number(r.running),
    metrics: query.metrics.map((_m, i) => aggregate(r, i)),
  }));
  return { groups, truncated: rows.length > query.limit };
}
