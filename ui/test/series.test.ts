/** Series on the client: API points, zoom and live merges, point caps and the y extent. */
import t from 'tap';
import type { Point } from '../src/lib/series.js';
import { appendLive, capPoints, extent, mergeRange, toPoints } from '../src/lib/series.js';
import { toNumber } from '../src/lib/numbers.js';

const raw = (x: number, y: number): Point => ({ x, y, min: y, max: y, count: 1 });
const sum = (ps: readonly Point[]): number => ps.reduce((a, p) => a + p.count, 0);
const xs = (ps: readonly Point[]): number[] => ps.map((p) => p.x);
const sorted = (ps: readonly Point[]): boolean => ps.every((p, i) => i === 0 || (ps[i - 1]?.x ?? -Infinity) <= p.x);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

t.test('toNumber and toPoints read the special-number strings', async (t) => {
  t.equal(toNumber(1.5), 1.5);
  t.equal(toNumber('Infinity'), Infinity);
  t.equal(toNumber('-Infinity'), -Infinity);
  t.ok(Number.isNaN(toNumber('NaN')));
  t.ok(Number.isNaN(toNumber(null)));
  t.ok(Number.isNaN(toNumber(undefined)));
  t.same(toPoints([{ x: 3, last: 'NaN', min: '-Infinity', max: 2, count: 4 }]), [{ x: 3, y: NaN, min: -Infinity, max: 2, count: 4 }]);
});

t.test('mergeRange replaces the zoomed range with the finer points', async (t) => {
  // Buckets of 10 points each at x = 9, 19, …, 99.
  const coarse: Point[] = Array.from({ length: 10 }, (_, i) => ({ x: i * 10 + 9, y: i, min: i - 1, max: i + 1, count: 10 }));
  const fine: Point[] = Array.from({ length: 30 }, (_, i) => raw(30 + i, 100 + i)); // the raw points 30..59
  const merged = mergeRange(coarse, fine, 30, 59);
  t.same(xs(merged), [9, 19, 29, ...fine.map((p) => p.x), 69, 79, 89, 99]);
  t.equal(sum(merged), sum(coarse), 'the replaced buckets held exactly the fetched points: count preserved');
  t.equal(merged.find((p) => p.x === 39)?.y, 109, 'inside the range the fetched point wins');
  t.same(mergeRange(coarse, [], 30, 59).map((p) => p.x), [9, 19, 29, 69, 79, 89, 99], 'nothing fetched: the range empties');
  t.same(mergeRange([], fine, 0, 100), fine);
  // Fetched unsorted, overlapping an x just outside the range: still sorted, no duplicate x.
  const m2 = mergeRange(coarse, [raw(69, -1), raw(45, 0)], 40, 60);
  t.ok(sorted(m2));
  t.same(xs(m2), [9, 19, 29, 39, 45, 69, 79, 89, 99]);
  t.equal(m2.find((p) => p.x === 69)?.y, -1);
});

t.test('appendLive merges by x, fetched points win', async (t) => {
  const current = [raw(0, 1), raw(1, 2), raw(2, 3)];
  const merged = appendLive(current, [raw(3, 40), raw(2, 30)]);
  t.same(merged, [raw(0, 1), raw(1, 2), raw(2, 30), raw(3, 40)]);
  t.same(current, [raw(0, 1), raw(1, 2), raw(2, 3)], 'inputs untouched');
  t.same(appendLive([], [raw(5, 1), raw(4, 1)]).map((p) => p.x), [4, 5]);
  t.same(appendLive(current, []), current);
});

t.test('capPoints: ≤ max points, count and envelope preserved', async (t) => {
  const rnd = seeded(3);
  for (const [n, max] of [
    [1000, 100],
    [1001, 100],
    [999, 7],
    [50, 49],
    [10, 1],
  ] as const) {
    const pts = Array.from({ length: n }, (_, i) => {
      const y = rnd() * 100 - 50;
      return { x: i * 3, y, min: y - rnd(), max: y + rnd(), count: 1 + Math.floor(rnd() * 5) };
    });
    const capped = capPoints(pts, max);
    const msg = `${n} → ${max}`;
    t.equal(capped.length, max, `${msg}: exactly max points`);
    t.equal(sum(capped), sum(pts), `${msg}: count preserved`);
    t.equal(Math.min(...capped.map((p) => p.min)), Math.min(...pts.map((p) => p.min)), `${msg}: lowest min kept`);
    t.equal(Math.max(...capped.map((p) => p.max)), Math.max(...pts.map((p) => p.max)), `${msg}: highest max kept`);
    t.ok(sorted(capped), `${msg}: sorted`);
    t.same(capped.at(-1), { ...capped.at(-1), x: pts.at(-1)?.x, y: pts.at(-1)?.y }, `${msg}: last bucket ends at the last point`);
    t.ok(capped.every((p) => p.min <= p.y && p.y <= p.max), `${msg}: each bucket's y inside its envelope`);
    const sizes = capped.map((p) => pts.findIndex((q) => q.x === p.x) + 1).map((end, i, ends) => end - (ends[i - 1] ?? 0));
    t.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${msg}: even buckets (sizes ${Math.min(...sizes)}..${Math.max(...sizes)})`);
  }
});

t.test('capPoints: a bucket by hand, NaN envelopes ignored, identity when small', async (t) => {
  const pts: Point[] = [
    { x: 1, y: 5, min: 4, max: 6, count: 2 },
    { x: 2, y: 1, min: NaN, max: NaN, count: 1 },
    { x: 3, y: 7, min: 0, max: 9, count: 3 },
    { x: 4, y: NaN, min: NaN, max: NaN, count: 1 },
  ];
  t.same(capPoints(pts, 2), [
    { x: 2, y: 1, min: 4, max: 6, count: 3 },
    { x: 4, y: NaN, min: 0, max: 9, count: 4 },
  ]);
  t.same(capPoints(pts, 1), [{ x: 4, y: NaN, min: 0, max: 9, count: 7 }]);
  t.equal(capPoints(pts, 4), pts, 'already ≤ max: the same array');
  t.equal(capPoints(pts, 10), pts);
  t.same(capPoints(pts, 0), []);
  t.same(capPoints([], 0), []);
});

t.test('extent over finite values, with the band, on a log scale', async (t) => {
  const pts: Point[] = [
    { x: 0, y: 1, min: -2, max: 3, count: 5 },
    { x: 1, y: NaN, min: NaN, max: NaN, count: 1 },
    { x: 2, y: 0.5, min: 0.1, max: Infinity, count: 2 },
    { x: 3, y: 2, min: 2, max: 2, count: 1 },
  ];
  t.same(extent(pts, false, false), [0.5, 2]);
  t.same(extent(pts, true, false), [-2, 3]);
  t.same(extent(pts, true, true), [0.1, 3], 'log: values ≤ 0 left out');
  t.same(extent([raw(0, -1), raw(1, 0)], false, true), null, 'log: nothing positive');
  t.same(extent([], true, false), null);
  t.same(extent([raw(0, NaN)], true, false), null);
  t.same(extent([raw(0, 4)], false, false), [4, 4]);
});
