/**
 * The run page of `chart-run` (20 metric keys of N steps each), measured in the browser: goto → all 20
 * charts drawn (each `[data-testid=chart]` with `data-points` > 0), in a viewport tall enough that every
 * chart is in view. Returns the time, the largest chart's point count, and the page's request timings.
 */
import type { BrowserContext } from 'playwright-core';
import type { LongFrameTotals, PageTimes } from './ui-browser.js';
import { appLoaded, longFramePhases, longFrames, pageTimes, requestsTo } from './ui-browser.js';
import { CHART_KEYS, CHART_RUN, PROJECT } from './ui-ingest.js';

interface El {
  getAttribute(name: string): string | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<El> };

export const CHART_VIEWPORT = { width: 1400, height: 2200 } as const;
const TIMEOUT = 60_000;

export interface ChartsSample {
  readonly wallMs: number;
  /** On the page's clock (0 = navigation start). */
  readonly drawnAt: number;
  readonly maxPoints: number;
  readonly times: PageTimes;
  readonly long: LongFrameTotals;
}

/** A new tab (same context, HTTP cache kept) opens the run page; resolves when every chart has points. */
export async function openCharts(context: BrowserContext, api: string): Promise<ChartsSample> {
  const page = await context.newPage();
  try {
    await page.setViewportSize(CHART_VIEWPORT);
    const t0 = performance.now();
    await page.goto(`${api}/projects/${PROJECT}/runs/${CHART_RUN}`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      (want) => {
        const charts = Array.from(document.querySelectorAll('[data-testid=chart]'));
        if (charts.length < want) return null;
        const points = charts.map((c) => Number(c.getAttribute('data-points')));
        return points.every((n) => n > 0) ? { at: performance.now(), max: Math.max(...points) } : null;
      },
      CHART_KEYS.length,
      { polling: 'raf', timeout: TIMEOUT },
    );
    const wallMs = performance.now() - t0;
    const drawn = (await handle.jsonValue()) as { at: number; max: number };
    return { wallMs, drawnAt: drawn.at, maxPoints: drawn.max, times: await pageTimes(page), long: await longFrames(page) };
  } finally {
    await page.close();
  }
}

/** Where the time went, on the page's clock: html, app files, the run, its metric keys, the series, drawing. */
export function chartPhases(s: ChartsSample): Record<string, number> {
  const base = `/api/v1/projects/${PROJECT}/runs/${CHART_RUN}`;
  const run = requestsTo(s.times, base).find((r) => r.url.endsWith(CHART_RUN));
  const metrics = requestsTo(s.times, `${base}/metrics`)[0];
  const series = requestsTo(s.times, `/api/v1/projects/${PROJECT}/series`);
  const firstSeries = series[0];
  const lastSeriesEnd = Math.max(...series.map((r) => r.end));
  return {
    'index.html received': s.times.html,
    'app JS/CSS received': appLoaded(s.times),
    'run request answered': run?.end ?? Number.NaN,
    'metrics request answered': metrics?.end ?? Number.NaN,
    'series requests': series.length,
    'first series request sent': firstSeries?.start ?? Number.NaN,
    'series request duration (first)': firstSeries === undefined ? Number.NaN : firstSeries.end - firstSeries.start,
    'last series answer': series.length === 0 ? Number.NaN : lastSeriesEnd,
    'all 20 charts drawn': s.drawnAt,
    'drawing after the last series answer': series.length === 0 ? Number.NaN : s.drawnAt - lastSeriesEnd,
    ...longFramePhases(s.long),
  };
}

/** The body the run page POSTs to /series (ChartGrid: step axis, 1000 buckets), for timing the API alone. */
export const seriesBody = (keys: readonly string[]): object => ({ runs: [CHART_RUN], keys: [...keys], xAxis: 'step', maxPoints: 1000 });
