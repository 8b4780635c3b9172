/** The runs view and chart settings in the URL: short URLs, exact round trips, tolerant reading. */
import t from 'tap';
import type { ChartView, RunsView } from '../src/lib/url-state.js';
import {
  defaultChartView,
  defaultRunsView,
  readChartView,
  readRunsView,
  writeChartView,
  writeRunsView,
} from '../src/lib/url-state.js';

/** Through a real URL string, as the browser would keep it. */
const viaUrl = (p: URLSearchParams): URLSearchParams => new URL(`http://x/runs?${p.toString()}`).searchParams;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NASTY = ['a,b', 'run 1', 'ü-ñ/ß', '日本語', 'a&b=c', '+%20', '🚀,🚀', '#frag?', 'x'.repeat(300)];

t.test('defaults write nothing', async (t) => {
  t.equal(writeRunsView(defaultRunsView()).toString(), '');
  t.equal(writeChartView(defaultChartView()).toString(), '');
  t.same(readRunsView(new URLSearchParams()), defaultRunsView());
  t.same(readChartView(new URLSearchParams()), defaultChartView());
});

t.test('runs view: lists as repeated params, ids with commas and unicode survive', async (t) => {
  const view: RunsView = { filter: 'config.lr < 1e-3 and name ~ "a,b"', sort: '-summary.loss.last,created', columns: ['config.lr', 'summary.a,b.last'], selected: NASTY, groupBy: 'config.optimizer' };
  const p = writeRunsView(view);
  t.same(p.getAll('run'), NASTY, 'one run= per id');
  t.same(p.getAll('col'), ['config.lr', 'summary.a,b.last']);
  t.same(readRunsView(viaUrl(p)), view);
  t.same(readRunsView(viaUrl(writeRunsView({ ...defaultRunsView(), columns: [] }))), { ...defaultRunsView(), columns: [] }, 'no columns differs from default columns');
  t.equal(writeRunsView({ ...defaultRunsView(), selected: ['r1'] }).toString(), 'run=r1');
});

t.test('chart view: params and values', async (t) => {
  const view: ChartView = { xAxis: 'relative_time', smoothing: { kind: 'twema', weight: 0.9 }, logY: true, band: false, search: 'val/ lóss', xMin: -1.5, xMax: 1e21 };
  const p = writeChartView(view);
  t.same(Object.fromEntries(p), { x: 'relative_time', smooth: 'twema:0.9', log: '1', band: '0', q: 'val/ lóss', xmin: '-1.5', xmax: '1e+21' });
  t.same(readChartView(viaUrl(p)), view);
  t.equal(writeChartView({ ...defaultChartView(), smoothing: { kind: 'ema', weight: 0.6 } }).toString(), 'smooth=ema%3A0.6');
  t.same(readChartView(new URLSearchParams('smooth=ema:0')).smoothing, { kind: 'ema', weight: 0 }, 'ema:0 is kept as written');
});

t.test('round trips for random valid views', async (t) => {
  const rnd = seeded(5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const text = (): string => (rnd() < 0.3 ? '' : pick(NASTY) + (rnd() < 0.5 ? pick(NASTY) : ''));
  let bad = 0;
  for (let i = 0; i < 300; i++) {
    const runs: RunsView = {
      filter: text(),
      sort: text(),
      columns: rnd() < 0.3 ? null : [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(NASTY)))],
      selected: [...new Set(Array.from({ length: Math.floor(rnd() * 5) }, () => pick(NASTY)))],
      groupBy: rnd() < 0.5 ? null : pick(NASTY),
    };
    const lo = rnd() < 0.3 ? null : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12);
    const chart: ChartView = {
      xAxis: pick(['step', 'time', 'relative_time'] as const),
      smoothing: pick([{ kind: 'none' }, { kind: 'ema', weight: Math.round(rnd() * 999) / 1000 }, { kind: 'twema', weight: rnd() * 0.999 }] as const),
      logY: rnd() < 0.5,
      band: rnd() < 0.5,
      search: text(),
      xMin: lo,
      xMax: lo === null || rnd() < 0.3 ? null : lo + rnd() * 1000,
    };
    const runsBack = readRunsView(viaUrl(writeRunsView(runs)));
    const chartBack = readChartView(viaUrl(writeChartView(chart)));
    if (JSON.stringify(runsBack) !== JSON.stringify(runs) || JSON.stringify(chartBack) !== JSON.stringify(chart)) {
      bad++;
      if (bad === 1) t.same({ runsBack, chartBack }, { runs, chart }, 'first mismatch');
    }
  }
  t.equal(bad, 0, '300 random views come back unchanged');
});

t.test('garbage reads as defaults and never throws', async (t) => {
  const garbage = [
    'x=sideways&smooth=ema&log=maybe&band=&xmin=abc&xmax=Infinity',
    'smooth=ema:-0.5&x=STEP',
    'smooth=gauss:3',
    'smooth=ema:0.5:1',
    'xmin=&xmax=%20',
    '%E0%A4%A=1&run=&group=&col=,',
  ];
  for (const q of garbage) {
    const params = new URLSearchParams(q);
    t.same(readChartView(params), { ...defaultChartView(), search: params.get('q') ?? '' }, q);
  }
  t.same(readRunsView(new URLSearchParams('run=&run=a&run=a&group=')), { ...defaultRunsView(), selected: ['a'] }, 'empty and repeated ids dropped');
  t.same(readChartView(new URLSearchParams('smooth=twema:5')).smoothing, { kind: 'twema', weight: 0.999 }, 'weight clamped');
  t.same(readChartView(new URLSearchParams('smooth=EMA:.25')).smoothing, { kind: 'ema', weight: 0.25 }, 'case and a bare fraction');
  t.same(readChartView(new URLSearchParams('log=true&band=false')), { ...defaultChartView(), logY: true, band: false });
  const swapped = readChartView(new URLSearchParams('xmin=10&xmax=2'));
  t.same([swapped.xMin, swapped.xMax], [2, 10], 'a reversed range is read in order');
});
