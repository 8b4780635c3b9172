/** Smoothing: TensorBoard's debiased EMA and the time-weighted EMA, against hand-computed values. */
import t from 'tap';
import type { Test } from 'tap';
import { smooth } from '../src/lib/smoothing.js';

/** One assertion: `got` equals `want` element-wise within 1e-9 (relative), NaN where `want` is NaN. */
function close(t: Test, got: number[], want: number[], msg: string): void {
  const bad = want.flatMap((w, i) => {
    const g = got[i] ?? NaN;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= 1e-9 * Math.max(1, Math.abs(w));
    return ok ? [] : [`[${i}] ${g} ≠ ${w}`];
  });
  t.ok(got.length === want.length && bad.length === 0, msg, { bad, lengths: [got.length, want.length] });
}

/** TensorBoard's loop, written out independently (vz_line_chart2 resmoothDataset). */
function tensorboard(ys: number[], w: number): number[] {
  let last = 0;
  let k = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return NaN;
    last = last * w + (1 - w) * y;
    k++;
    return last / (1 - Math.pow(w, k));
  });
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

t.test('ema: hand-computed values, debiased from the first point', async (t) => {
  // w = 0.5: last = 0.5, 1.25, 2.125; debias 0.5, 0.75, 0.875.
  close(t, smooth([0, 1, 2], [1, 2, 3], { kind: 'ema', weight: 0.5 }), [1, 5 / 3, 2.125 / 0.875], 'w=0.5');
  // w = 0.9 on a step: 0 then 10s; second value = (0.9·0 + 10) / (0.9 + 1).
  close(t, smooth([0, 1], [0, 10], { kind: 'ema', weight: 0.9 }), [0, 10 / 1.9], 'w=0.9 step');
  for (const w of [0, 0.3, 0.6, 0.99, 0.999]) {
    t.equal(smooth([5], [42.5], { kind: 'ema', weight: w })[0], 42.5, `first value is the input at w=${w}`);
  }
});

t.test('ema matches TensorBoard on random data', async (t) => {
  const rnd = seeded(7);
  const ys = Array.from({ length: 200 }, () => rnd() * 10 - 5);
  const xs = ys.map((_, i) => i);
  for (const w of [0.2, 0.6, 0.95]) close(t, smooth(xs, ys, { kind: 'ema', weight: w }), tensorboard(ys, w), `w=${w}`);
});

t.test('non-finite values smooth to NaN without poisoning later ones', async (t) => {
  const ys = [1, NaN, 3, Infinity, -Infinity, 5];
  const got = smooth([0, 1, 2, 3, 4, 5], ys, { kind: 'ema', weight: 0.5 });
  // The finite points 1, 3, 5 smooth as if the others were not there.
  close(t, got, [1, NaN, 3.5 / 1.5, NaN, NaN, (3.5 * 0.5 + 5) / 1.75], 'ema');
  close(t, got, tensorboard(ys, 0.5), 'same as TensorBoard skipping them');
  const tw = smooth([0, 1, 2, 3, 4, 5], ys, { kind: 'twema', weight: 0.5 });
  t.ok(tw.slice(0, 1).concat(tw.slice(5)).every(Number.isFinite), 'twema: finite points stay finite');
  t.ok(Number.isNaN(tw[1] ?? 0) && Number.isNaN(tw[3] ?? 0), 'twema: non-finite points are NaN');
  const nanX = smooth([0, NaN, 2], [1, 2, 3], { kind: 'twema', weight: 0.5 });
  t.ok(Number.isNaN(nanX[1] ?? 0), 'twema: a NaN x is NaN');
  t.ok(Number.isFinite(nanX[2] ?? NaN), 'twema: and does not poison the next point');
});

t.test('none and weight 0 leave the values; weights are clamped', async (t) => {
  const ys = [3, 1, 4, 1, 5];
  const xs = [0, 1, 2, 3, 4];
  const none = smooth(xs, ys, { kind: 'none' });
  t.same(none, ys);
  t.not(none, ys, 'none returns a copy');
  t.same(smooth(xs, ys, { kind: 'ema', weight: 0 }), ys);
  t.same(smooth([0, 0, 1], [1, 2, 3], { kind: 'twema', weight: 0 }), [1, 2, 3], 'twema weight 0, repeated x');
  t.same(smooth(xs, ys, { kind: 'ema', weight: -3 }), ys, 'negative weight is 0');
  t.same(smooth(xs, ys, { kind: 'ema', weight: 7 }), smooth(xs, ys, { kind: 'ema', weight: 0.999 }), 'weight above 0.999 is 0.999');
  t.same(smooth([], [], { kind: 'twema', weight: 0.5 }), []);
});

t.test('twema equals ema for evenly spaced x, whatever the spacing', async (t) => {
  const rnd = seeded(11);
  const ys = Array.from({ length: 100 }, () => rnd());
  const ema = smooth([], ys, { kind: 'ema', weight: 0.8 });
  close(t, smooth(ys.map((_, i) => i), ys, { kind: 'twema', weight: 0.8 }), ema, 'step 1');
  close(t, smooth(ys.map((_, i) => 1000 + 37 * i), ys, { kind: 'twema', weight: 0.8 }), ema, 'step 37');
});

t.test('twema decays by x distance', async (t) => {
  // xs 0, 1, 3: typicalΔx = 3 / 2 = 1.5, so the decays are 0.5^(1/1.5) and 0.5^(2/1.5).
  const a1 = Math.pow(0.5, 1 / 1.5);
  const a2 = Math.pow(0.5, 2 / 1.5);
  const num1 = a1 * 2 + 4;
  const den1 = a1 + 1;
  close(t, smooth([0, 1, 3], [2, 4, 8], { kind: 'twema', weight: 0.5 }), [2, num1 / den1, (a2 * num1 + 8) / (a2 * den1 + 1)], 'uneven');
  // Only x relative to the typical gap matters: sampled at x = 0, 2, 4, … a series smooths like at 0, 1, 2, ….
  const ys = [0, 10, 10, 10, 10];
  close(t, smooth([0, 2, 4, 6, 8], ys, { kind: 'twema', weight: 0.7 }), smooth([0, 1, 2, 3, 4], ys, { kind: 'twema', weight: 0.7 }), 'scaled x');
  // A gap twice the typical one decays the history by w², where ema would decay it by w.
  const gapped = smooth([0, 1, 3, 4], [0, 0, 10, 10], { kind: 'twema', weight: 0.5 });
  const flat = smooth([0, 1, 2, 3], [0, 0, 10, 10], { kind: 'twema', weight: 0.5 });
  t.ok((gapped[2] ?? 0) > (flat[2] ?? 0), `after a long gap the new value weighs more (${gapped[2]} > ${flat[2]})`);
  // Points at the same x are averaged with equal weight: typicalΔx = 0.5, decays 0.5^2 then 0.5^0 = 1.
  close(t, smooth([0, 1, 1], [0, 2, 4], { kind: 'twema', weight: 0.5 }), [0, 2 / 1.25, 6 / 2.25], 'same x');
});
