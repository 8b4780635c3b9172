/**
 * Curve smoothing for metric charts.
 *
 * Both smoothers keep a weighted sum and a weight total over the finite points seen so far:
 *
 *     num_i = a_i · num_{i-1} + y_i        den_i = a_i · den_{i-1} + 1        s_i = num_i / den_i
 *
 * - `ema` (TensorBoard's debiased EMA): a_i = w for every point. With a constant decay this is exactly
 *   TensorBoard's `last = w·last + (1−w)·y; s = last / (1 − w^k)` (k = points accumulated), so the first
 *   smoothed value equals the first input and early values are not dragged towards 0.
 * - `twema` (time-weighted EMA, as W&B's "time weighted EMA"): a_i = w^(Δx_i / typicalΔx), where Δx_i is the
 *   x gap to the previous accumulated point and typicalΔx = (xmax − xmin) / (n − 1) over the n accumulated
 *   points. Evenly spaced x gives a_i = w, the same curve as `ema`; uneven spacing (a downsampled range next
 *   to raw points) decays by distance, not by point count, so the curve keeps its shape. Points at the same
 *   x (Δx = 0, a = 1) are averaged with equal weight.
 *
 * A point whose y (or, for `twema`, x) is not finite smooths to NaN and is skipped: it does not poison the
 * values after it. The weight is clamped to [0, 0.999]; weight 0 returns the finite inputs unchanged.
 * `none` returns a copy of `ys` as it is.
 */

export type Smoothing = { kind: 'none' } | { kind: 'ema'; weight: number } | { kind: 'twema'; weight: number };

export const MAX_WEIGHT = 0.999;

/** The weight clamped to [0, 0.999] (NaN → 0). */
export function clampWeight(weight: number): number {
  if (!(weight > 0)) return 0;
  return Math.min(weight, MAX_WEIGHT);
}

/** The smoothed ys (same length as `ys`); `xs` matters only for `twema`. */
export function smooth(xs: readonly number[], ys: readonly number[], s: Smoothing): number[] {
  if (s.kind === 'none') return ys.slice();
  const w = clampWeight(s.weight);
  if (s.kind === 'ema') return accumulate(ys, () => w, () => true);
  const usable = (i: number): boolean => Number.isFinite(xs[i] ?? NaN);
  const typical = typicalGap(xs, ys);
  let prevX = NaN;
  return accumulate(
    ys,
    (i) => {
      const x = xs[i] ?? NaN;
      const gap = Number.isNaN(prevX) ? 1 : Math.max(0, x - prevX) / typical;
      prevX = x;
      return w === 0 ? 0 : Math.pow(w, gap);
    },
    usable,
  );
}

/** Runs the num/den recurrence; `decay(i)` is called once per accumulated point, in order. */
function accumulate(ys: readonly number[], decay: (i: number) => number, usable: (i: number) => boolean): number[] {
  let num = 0;
  let den = 0;
  return ys.map((y, i) => {
    if (!Number.isFinite(y) || !usable(i)) return NaN;
    const a = decay(i);
    num = a * num + y;
    den = a * den + 1;
    return num / den;
  });
}

/** (xmax − xmin) / (n − 1) over points with finite x and y; 1 when that is not a positive finite number. */
function typicalGap(xs: readonly number[], ys: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (let i = 0; i < ys.length; i++) {
    const x = xs[i] ?? NaN;
    if (!Number.isFinite(x) || !Number.isFinite(ys[i] ?? NaN)) continue;
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
    n++;
  }
  const gap = n > 1 ? (hi - lo) / (n - 1) : NaN;
  return gap > 0 && Number.isFinite(gap) ? gap : 1;
}
