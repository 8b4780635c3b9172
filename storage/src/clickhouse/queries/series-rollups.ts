/**
 * The step-axis fast path of `readSeries`: long series are bucketed from `metric_rollups` (migration 0010:
 * buckets of 100 and 10,000 steps kept at ingest) instead of their raw points. A level of width
 * W is used when the range spans at least maxPoints × W steps; output buckets are whole multiples of W
 * aligned to the W grid, so each is an exact union of rollup buckets (last/min/max/count exact for it).
 * With an x-range, the first and last output buckets snap outward to the grid.
 */
import type { ClickHouse } from '../client.js';
import { planTable, SERIES_COLUMNS } from './plan.js';
import { float64, int64, text } from './values.js';

const ROLLUP_WIDTHS = [10_000, 100] as const;
const COARSEST = ROLLUP_WIDTHS[0];

export interface RollupPlan {
  readonly width: number;
  /** Output bucket width: a multiple of `width`. */
  readonly outWidth: number;
  /** First step of output bucket 0, on the `width` grid. */
  readonly origin: number;
}

/** The rollup level for a series spanning lo..hi steps, or undefined when raw points must be read. */
export function rollupPlan(lo: number, hi: number, maxPoints: number): RollupPlan | undefined {
  const span = hi - lo + 1;
  const width = ROLLUP_WIDTHS.find((w) => span / w >= maxPoints);
  if (width === undefined) return undefined;
  // Sized on hi - lo, not the inclusive span: a range of exactly maxPoints × W steps plus its end point
  // keeps W-wide buckets (the one overflowing bucket folds into the last), instead of halving resolution.
  const outWidth = width * Math.max(1, Math.ceil((hi - lo) / (maxPoints * width)));
  return { width, outWidth, origin: Math.floor(lo / width) * width };
}

export interface StepExtent {
  readonly runId: string;
  readonly key: string;
  readonly labels: string;
  readonly total: number;
  readonly lo: number;
  readonly hi: number;
}

type Params = Record<string, string | number | readonly string[]>;

/** Per-series point count and step extent of an unbounded step range, from the coarsest rollup level. */
export async function rollupExtents(ch: ClickHouse, params: Params): Promise<StepExtent[]> {
  const rows = await ch.query<Record<string, unknown>>({
    sql: `SELECT run_id, key, labels, sum(point_count) AS n, min(first_step) AS lo, max(last_step) AS hi FROM metric_rollups
      WHERE project = {project:String} AND run_id IN {runs:Array(String)} AND key IN {keys:Array(String)} AND width = ${COARSEST}
      GROUP BY run_id, key, labels ORDER BY run_id, key, labels`,
    params,
    tag: 'series.rollup-extents',
  });
  return rows.map((row) => ({
    runId: text(row.run_id, 'run_id'),
    key: text(row.key, 'key'),
    labels: text(row.labels, 'labels'),
    total: Number(int64(row.n, 'n')),
    lo: Number(int64(row.lo, 'lo')),
    hi: Number(int64(row.hi, 'hi')),
  }));
}

const ROLLUP_PLAN = planTable([
  ...SERIES_COLUMNS,
  { name: 'width', param: 'pw', type: 'UInt32' },
  { name: 'origin', param: 'po', type: 'Int64' },
  { name: 'ow', param: 'pow', type: 'Int64' },
  { name: 'si', param: 'psi', type: 'UInt32' },
]);

export interface RollupBucket {
  readonly si: number;
  readonly x: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Buckets of the planned series (`si` = index into `series`), read from rollups in one scan. */
export async function readRollupBuckets(
  ch: ClickHouse,
  params: Params,
  series: readonly { readonly extent: StepExtent; readonly plan: RollupPlan; readonly si: number }[],
  maxPoints: number,
): Promise<RollupBucket[]> {
  const bounds = [params.xMin !== undefined ? 'r.bucket * r.width + r.width - 1 >= {xMin:Float64}' : '', params.xMax !== undefined ? 'r.bucket * r.width <= {xMax:Float64}' : ''].filter(Boolean);
  const rows = await ch.query<Record<string, unknown>>({
    sql: `SELECT plan.si AS si, least(intDiv(r.bucket * r.width - plan.origin, plan.ow), {last:Int64}) AS b,
        max(r.last_step) AS bx, argMaxMerge(r.last_value) AS last, min(r.min_value) AS lo, max(r.max_value) AS hi, sum(r.point_count) AS n
      FROM metric_rollups AS r
      INNER JOIN ${ROLLUP_PLAN} AS plan ON r.run_id = plan.run_id AND r.key = plan.key AND r.labels = plan.labels AND r.width = plan.width
      WHERE r.project = {project:String} AND r.run_id IN {runs:Array(String)} AND r.key IN {keys:Array(String)}
        ${bounds.length > 0 ? `AND ${bounds.join(' AND ')}` : ''}
      GROUP BY si, b ORDER BY si, b`,
    params: {
      ...params,
      pr: series.map((s) => s.extent.runId),
      pk: series.map((s) => s.extent.key),
      pl: series.map((s) => s.extent.labels),
      pw: series.map((s) => s.plan.width),
      po: series.map((s) => s.plan.origin),
      pow: series.map((s) => s.plan.outWidth),
      psi: series.map((s) => s.si),
      last: maxPoints - 1,
    },
    tag: 'series.rollup-buckets',
  });
  return rows.map((row) => ({
    si: Number(row.si),
    x: Number(int64(row.bx, 'bx')),
    last: float64(row.last, 'last'),
    min: float64(row.lo, 'lo'),
    max: float64(row.hi, 'hi'),
    count: Number(int64(row.n, 'n')),
  }));
}
