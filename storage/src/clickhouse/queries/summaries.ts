/**
 * Reads of the per-series metric summaries (`metric_summaries`, migration 0008) and the key catalogue
 * (`metric_keys`, 0009). Both tables are kept by materialized views at ingest; these reads never touch
 * `metric_points`. A series' rows can sit in several parts until ClickHouse merges them, so every read
 * aggregates (argMaxMerge / min / max / sum, GROUP BY the sort key) rather than trusting one row.
 *
 * NaN: `last` is NaN when the last point (by step, then time) was NaN; `min`/`max` ignore NaN and are NaN
 * only when every point was NaN; `count` counts every point. ±Inf are ordinary values everywhere.
 */
import type { ClickHouse } from '../client.js';
import { float64, int64, text } from './values.js';

/** The summary of one series: a run's metric key with one label set. Times are Unix nanoseconds. */
export interface MetricSummary {
  readonly runId: string;
  readonly key: string;
  /** Canonical `k=v,…` label text ('' for `mlrun.metrics` events). */
  readonly labels: string;
  /** Value of the point with the greatest (step, time); NaN if that point was NaN. */
  readonly last: number;
  /** Smallest non-NaN value (−Infinity counts); NaN when every point was NaN. */
  readonly min: number;
  /** Largest non-NaN value (Infinity counts); NaN when every point was NaN. */
  readonly max: number;
  /** Number of points, NaN included. */
  readonly count: bigint;
  /** Greatest step; -1 when no point carried a step. */
  readonly lastStep: bigint;
  readonly firstTime: bigint;
  readonly lastTime: bigint;
}

/** One entry of a key catalogue: a metric key with one label set, and when it was seen. */
export interface MetricKey {
  readonly key: string;
  readonly labels: string;
  readonly firstTime: bigint;
  readonly lastTime: bigint;
  /** Points logged under this key and labels (in the run, or in the whole project). */
  readonly count: bigint;
}

/** Most runs one `readSummariesForRuns` call accepts (the ids travel as one Array(String) parameter). */
export const MAX_SUMMARY_RUNS = 10_000;

const SUMMARY_COLUMNS = `run_id,
       key,
       labels,
       argMaxMerge(last_value)                   AS s_last,
       min(min_value)                            AS s_min,
       max(max_value)                            AS s_max,
       sum(point_count)                          AS s_count,
       max(last_step)                            AS s_last_step,
       min(first_time_ns)                        AS s_first_time,
       max(last_time_ns)                         AS s_last_time`;

interface SummaryRecord {
  run_id: unknown;
  key: unknown;
  labels: unknown;
  s_last: unknown;
  s_min: unknown;
  s_max: unknown;
  s_count: unknown;
  s_last_step: unknown;
  s_first_time: unknown;
  s_last_time: unknown;
}

interface KeyRecord {
  key: unknown;
  labels: unknown;
  k_first_time: unknown;
  k_last_time: unknown;
  k_count: unknown;
}

function toSummary(r: SummaryRecord): MetricSummary {
  return {
    runId: text(r.run_id, 'run_id'),
    key: text(r.key, 'key'),
    labels: text(r.labels, 'labels'),
    last: float64(r.s_last, 'last'),
    min: float64(r.s_min, 'min'),
    max: float64(r.s_max, 'max'),
    count: int64(r.s_count, 'count'),
    lastStep: int64(r.s_last_step, 'last_step'),
    firstTime: int64(r.s_first_time, 'first_time'),
    lastTime: int64(r.s_last_time, 'last_time'),
  };
}

function toKey(r: KeyRecord): MetricKey {
  return {
    key: text(r.key, 'key'),
    labels: text(r.labels, 'labels'),
    firstTime: int64(r.k_first_time, 'first_time'),
    lastTime: int64(r.k_last_time, 'last_time'),
    count: int64(r.k_count, 'count'),
  };
}

/** Every series summary of one run, ordered by key then labels (empty for an unknown run). */
export async function readRunSummaries(ch: ClickHouse, args: { readonly project: string; readonly runId: string }): Promise<MetricSummary[]> {
  const rows = await ch.query<SummaryRecord>({
    sql: `SELECT ${SUMMARY_COLUMNS}
          FROM metric_summaries
          WHERE project = {project:String} AND run_id = {runId:String}
          GROUP BY run_id, key, labels
          ORDER BY key, labels`,
    params: { project: args.project, runId: args.runId },
    tag: 'summaries.run',
  });
  return rows.map(toSummary);
}

/**
 * Summaries of several runs (the runs table's metric columns, compare), optionally only some keys;
 * ordered by run id, key, labels. Runs without points are simply absent.
 */
export async function readSummariesForRuns(
  ch: ClickHouse,
  args: { readonly project: string; readonly runIds: readonly string[]; readonly keys?: readonly string[] },
): Promise<MetricSummary[]> {
  if (args.runIds.length > MAX_SUMMARY_RUNS) {
    throw new RangeError(`readSummariesForRuns: ${args.runIds.length} run ids, at most ${MAX_SUMMARY_RUNS} per call`);
  }
  if (args.runIds.length === 0 || args.keys?.length === 0) return [];
  const keyFilter = args.keys === undefined ? '' : 'AND key IN {keys:Array(String)}';
  const rows = await ch.query<SummaryRecord>({
    sql: `SELECT ${SUMMARY_COLUMNS}
          FROM metric_summaries
          WHERE project = {project:String} AND run_id IN {runIds:Array(String)} ${keyFilter}
          GROUP BY run_id, key, labels
          ORDER BY run_id, key, labels`,
    params: args.keys === undefined ? { project: args.project, runIds: args.runIds } : { project: args.project, runIds: args.runIds, keys: args.keys },
    tag: 'summaries.runs',
  });
  return rows.map(toSummary);
}

/**
 * The metric keys (with label sets) of a project, or of one run when `runId` is given, ordered by key then
 * labels. The project catalogue is `metric_keys`; a run's keys are its range of `metric_summaries`.
 */
export async function readMetricKeys(ch: ClickHouse, args: { readonly project: string; readonly runId?: string }): Promise<MetricKey[]> {
  const columns = `key, labels,
       min(first_time_ns)                     AS k_first_time,
       max(last_time_ns)                      AS k_last_time,
       sum(point_count)                       AS k_count`;
  const rows =
    args.runId === undefined
      ? await ch.query<KeyRecord>({
          sql: `SELECT ${columns} FROM metric_keys WHERE project = {project:String} GROUP BY key, labels ORDER BY key, labels`,
          params: { project: args.project },
          tag: 'summaries.keys.project',
        })
      : await ch.query<KeyRecord>({
          sql: `SELECT ${columns} FROM metric_summaries
                WHERE project = {project:String} AND run_id = {runId:String}
                GROUP BY key, labels ORDER BY key, labels`,
          params: { project: args.project, runId: args.runId },
          tag: 'summaries.keys.run',
        });
  return rows.map(toKey);
}
