/**
 * Downsampled metric series, computed in ClickHouse (W&B-style buckets): for runs × keys over an x-axis
 * (step, wall time or time since the run's first point) and an optional x-range, each series comes back
 * raw when it has at most `maxPoints` points in range, otherwise as at most `maxPoints` equal-width
 * buckets with the x and value of the bucket's last point plus min, max and count. Zooming in is asking
 * again with a narrower range: the same number of buckets over less data, so finer resolution.
 *
 * Two reads: per-series counts and x-extent in range, then one scan that groups every series at once
 * (a width of 0 keeps a series raw). NaN: `last` keeps a NaN last point; min/max ignore NaN.
 */
import type { ClickHouse } from '../client.js';
import { planTable, SERIES_COLUMNS } from './plan.js';
import { readRollupBuckets, rollupExtents, rollupPlan } from './series-rollups.js';
import { float64, int64, text } from './values.js';

export type XAxis = 'step' | 'time' | 'relative_time';

export interface SeriesRequest {
  readonly project: string;
  readonly runIds: readonly string[];
  readonly keys: readonly string[];
  readonly xAxis: XAxis;
  /** Inclusive bounds in x units (steps; Unix ms for time; seconds for relative_time). */
  readonly xMin?: number;
  readonly xMax?: number;
  readonly maxPoints: number;
}

/** One point or bucket: `x`/`last` of its last point (by x, then time), min/max of non-NaN values. */
export interface SeriesBucket {
  readonly x: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export interface Series {
  readonly runId: string;
  readonly key: string;
  readonly labels: string;
  /** 'raw': every point in range (buckets of one x each); 'buckets': downsampled. */
  readonly mode: 'raw' | 'buckets';
  /** Points in range before downsampling. */
  readonly total: number;
  readonly buckets: readonly SeriesBucket[];
}

/**
 * The x expression per axis, from an allow-list. `run_start_ns` comes from a join on each run's first point
 * time. Steps of -1 (points logged without a step) have no place on the step axis.
 */
const X: Record<XAxis, { readonly expr: string; readonly where: string; readonly join: boolean }> = {
  step: { expr: 'toFloat64(step)', where: 'step >= 0', join: false },
  time: { expr: 'toFloat64(toUnixTimestamp64Milli(time))', where: '1', join: false },
  relative_time: { expr: 'toFloat64(toUnixTimestamp64Nano(time) - run_start_ns) / 1e9', where: '1', join: true },
};

// min over Int64 nanoseconds, not DateTime64: chDB 26.7's min/max over DateTime64(9) can be wrong when a
// group spans 1970 across parts (see docs/storage.md).
const RUN_STARTS =
  'INNER JOIN (SELECT run_id, min(toUnixTimestamp64Nano(time)) AS run_start_ns FROM metric_points WHERE project = {project:String} AND run_id IN {runs:Array(String)} GROUP BY run_id) AS starts USING (run_id)';

/** The in-range points of the requested series as (run_id, key, labels, x, time, value). */
function pointsSql(axis: XAxis, ranged: { min: boolean; max: boolean }): string {
  const x = X[axis];
  const bounds = [ranged.min ? 'x >= {xMin:Float64}' : '', ranged.max ? 'x <= {xMax:Float64}' : ''].filter(Boolean);
  return `SELECT run_id, key, labels, ${x.expr} AS x, time, value FROM metric_points ${x.join ? RUN_STARTS : ''}
    WHERE project = {project:String} AND run_id IN {runs:Array(String)} AND key IN {keys:Array(String)} AND ${x.where}
    ${bounds.length > 0 ? `AND ${bounds.join(' AND ')}` : ''}`;
}

interface Extent {
  readonly runId: string;
  readonly key: string;
  readonly labels: string;
  readonly total: number;
  readonly lo: number;
  readonly hi: number;
}

async function extents(ch: ClickHouse, params: Record<string, string | number | readonly string[]>, points: string): Promise<Extent[]> {
  const rows = await ch.query<Record<string, unknown>>({
    sql: `SELECT run_id, key, labels, count() AS n, min(x) AS lo, max(x) AS hi FROM (${points}) GROUP BY run_id, key, labels ORDER BY run_id, key, labels`,
    params,
    tag: 'series.extents',
  });
  return rows.map(
    (row): Extent => ({
      runId: text(row.run_id, 'run_id'),
      key: text(row.key, 'key'),
      labels: text(row.labels, 'labels'),
      total: Number(int64(row.n, 'n')),
      lo: float64(row.lo, 'lo'),
      hi: float64(row.hi, 'hi'),
    }),
  );
}

/** Bucket width of a series: 0 (raw) when it fits in maxPoints, else its x-extent over maxPoints. */
function widthOf(extent: Extent, maxPoints: number): number {
  if (extent.total <= maxPoints) return 0;
  const span = extent.hi - extent.lo;
  // All points at one x: one bucket holds them all.
  return span > 0 ? span / maxPoints : 1;
}

const POINTS_PLAN = planTable([
  ...SERIES_COLUMNS,
  { name: 'lo', param: 'plo', type: 'Float64' },
  { name: 'w', param: 'pw', type: 'Float64' },
  { name: 'si', param: 'psi', type: 'UInt32' },
]);

/** Buckets of the given series computed from raw points in one scan (a width of 0 keeps a series raw). */
async function readPointBuckets(
  ch: ClickHouse,
  params: Record<string, string | number | readonly string[]>,
  points: string,
  series: readonly { readonly extent: Extent; readonly width: number; readonly si: number }[],
  maxPoints: number,
): Promise<(SeriesBucket & { readonly si: number })[]> {
  // The per-series bucket plan (origin and width; width 0 = raw) joins the points as a tiny hash table.
  const rows = await ch.query<Record<string, unknown>>({
    sql: `SELECT plan.si AS si,
        if(plan.w = 0, p.x, least(floor((p.x - plan.lo) / plan.w), {last:Float64})) AS b,
        max(p.x) AS bx, argMax(p.value, (p.x, p.time)) AS last,
        minIfOrNull(p.value, NOT isNaN(p.value)) AS lo, maxIfOrNull(p.value, NOT isNaN(p.value)) AS hi, count() AS n
      FROM (${points}) AS p
      INNER JOIN ${POINTS_PLAN} AS plan ON p.run_id = plan.run_id AND p.key = plan.key AND p.labels = plan.labels
      GROUP BY si, b ORDER BY si, b`,
    params: {
      ...params,
      pr: series.map((s) => s.extent.runId),
      pk: series.map((s) => s.extent.key),
      pl: series.map((s) => s.extent.labels),
      plo: series.map((s) => s.extent.lo),
      pw: series.map((s) => s.width),
      psi: series.map((s) => s.si),
      last: maxPoints - 1,
    },
    tag: 'series.buckets',
  });
  return rows.map((row) => ({
    si: Number(row.si),
    x: float64(row.bx, 'bx'),
    last: float64(row.last, 'last'),
    min: float64(row.lo, 'lo'),
    max: float64(row.hi, 'hi'),
    count: Number(int64(row.n, 'n')),
  }));
}

export async function readSeries(ch: ClickHouse, request: SeriesRequest): Promise<Series[]> {
  if (request.runIds.length === 0 || request.keys.length === 0) return [];
  const ranged = { min: request.xMin !== undefined, max: request.xMax !== undefined };
  const points = pointsSql(request.xAxis, ranged);
  const params: Record<string, string | number | readonly string[]> = {
    project: request.project,
    runs: request.runIds,
    keys: request.keys,
    ...(request.xMin !== undefined ? { xMin: request.xMin } : {}),
    ...(request.xMax !== undefined ? { xMax: request.xMax } : {}),
  };
  // An unbounded step range takes its extents from the rollups (exact there, and no raw scan).
  const found = request.xAxis === 'step' && !ranged.min && !ranged.max ? await rollupExtents(ch, params) : await extents(ch, params, points);
  if (found.length === 0) return [];
  const widths = found.map((extent) => widthOf(extent, request.maxPoints));
  const plans = found.map((extent, i) => (request.xAxis === 'step' && widths[i] !== 0 ? rollupPlan(extent.lo, extent.hi, request.maxPoints) : undefined));
  const buckets: SeriesBucket[][] = found.map(() => []);
  const fromRollups = found.flatMap((extent, si) => {
    const plan = plans[si];
    return plan ? [{ extent, plan, si }] : [];
  });
  const fromPoints = found.flatMap((extent, si) => (plans[si] ? [] : [{ extent, width: widths[si] ?? 0, si }]));
  if (fromRollups.length > 0) {
    for (const { si, ...bucket } of await readRollupBuckets(ch, params, fromRollups, request.maxPoints)) buckets[si]?.push(bucket);
  }
  if (fromPoints.length > 0) {
    for (const { si, ...bucket } of await readPointBuckets(ch, params, points, fromPoints, request.maxPoints)) buckets[si]?.push(bucket);
  }
  return found.map((extent, i) => ({
    runId: extent.runId,
    key: extent.key,
    labels: extent.labels,
    mode: widths[i] === 0 ? 'raw' : 'buckets',
    total: extent.total,
    buckets: buckets[i] ?? [],
  }));
}
