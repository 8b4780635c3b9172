/**
 * Metric series on the client: API points to numbers, merging a zoomed-in range or a live poll into what is
 * already drawn, capping the number of drawn points, and the y extent.
 *
 * A point is one logged value (raw mode: count 1, min = max = y) or a bucket of `count` values (buckets
 * mode: y = the bucket's last value, min/max its envelope, x = the bucket's last x).
 */
import type { Num } from './numbers.js';
import { toNumber } from './numbers.js';

export interface Point {
  x: number;
  y: number;
  min: number;
  max: number;
  count: number;
}

export interface ApiPoint {
  x: number;
  last: Num;
  min: Num;
  max: Num;
  count: number;
}

/** API points with their special-number strings turned into numbers. */
export function toPoints(points: readonly ApiPoint[]): Point[] {
  return points.map((p) => ({ x: p.x, y: toNumber(p.last), min: toNumber(p.min), max: toNumber(p.max), count: p.count }));
}

/** `current` without its points in [xMin, xMax], plus `fetched` (finer buckets of that range), sorted by x. */
export function mergeRange(current: readonly Point[], fetched: readonly Point[], xMin: number, xMax: number): Point[] {
  const kept = current.filter((p) => !(p.x >= xMin && p.x <= xMax));
  return mergeByX(kept, fetched);
}

/** `current` merged with the latest points of a live poll; a fetched point replaces one at the same x. */
export function appendLive(current: readonly Point[], fetched: readonly Point[]): Point[] {
  return mergeByX(current, fetched);
}

/** Both lists in one, sorted by x; for equal x the point from `wins` replaces the one from `base`. */
function mergeByX(base: readonly Point[], wins: readonly Point[]): Point[] {
  const taken = new Set(wins.map((p) => p.x));
  const merged = base.filter((p) => !taken.has(p.x)).concat(wins);
  // Array.prototype.sort is stable, so points sharing an x inside one list keep their order.
  return merged.sort((a, b) => a.x - b.x);
}

/**
 * At most `max` points: when there are more, adjacent points are merged into `max` buckets of near-equal
 * size (sizes differ by at most one). A bucket keeps its last x and y, the min of the mins, the max of the
 * maxes (NaN ignored) and the summed count. Returns `points` itself when nothing needs merging.
 */
export function capPoints(points: readonly Point[], max: number): Point[] {
  const k = Math.floor(max);
  if (points.length <= k) return points as Point[];
  if (!(k > 0)) return [];
  const out: Point[] = [];
  const n = points.length;
  for (let b = 0; b < k; b++) {
    const start = Math.floor((b * n) / k);
    const end = Math.floor(((b + 1) * n) / k);
    out.push(bucket(points, start, end));
  }
  return out;
}

/** One bucket over points[start, end) (end > start). */
function bucket(points: readonly Point[], start: number, end: number): Point {
  let lo = NaN;
  let hi = NaN;
  let count = 0;
  for (let i = start; i < end; i++) {
    const p = points[i];
    if (p === undefined) continue;
    if (!Number.isNaN(p.min) && !(p.min >= lo)) lo = p.min;
    if (!Number.isNaN(p.max) && !(p.max <= hi)) hi = p.max;
    count += p.count;
  }
  const last = points[end - 1] ?? { x: NaN, y: NaN };
  return { x: last.x, y: last.y, min: lo, max: hi, count };
}

/**
 * [low, high] of the finite y values (with `withBand`, of the mins and maxes too); with `logScale`, of the
 * values > 0 only. Null when there is no such value.
 */
export function extent(points: readonly Point[], withBand: boolean, logScale: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number): void => {
    if (!Number.isFinite(v) || (logScale && !(v > 0))) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const p of points) {
    see(p.y);
    if (withBand) {
      see(p.min);
      see(p.max);
    }
  }
  return lo <= hi ? [lo, hi] : null;
}
