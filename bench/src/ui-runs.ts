/**
 * The runs page, measured in the browser: (a) first render of the table (goto → first row visible), (b) a
 * filter applied (Enter → the new total and the new first row on screen). Each returns raw samples plus
 * where the time went (the page's own request timings). Scrolling (c) is ui-scroll.ts.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { LongFrameTotals, PageTimes } from './ui-browser.js';
import { appLoaded, longFramePhases, longFrames, pageTimes, requestsTo } from './ui-browser.js';
import { PROJECT } from './ui-ingest.js';

// What the in-page callbacks use of the DOM (this program has no DOM types).
interface El {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { height: number };
  readonly textContent: string | null;
}
declare const document: { querySelector(selector: string): El | null; querySelectorAll(selector: string): ArrayLike<El>; addEventListener(type: string, fn: (e: { key: string }) => void, capture: boolean): void };

const FIRST_ROW = '[data-testid=runs-table] [data-run]';
export const RUNS_API = `/api/v1/projects/${PROJECT}/runs?`;
const TIMEOUT = 60_000;

/** Resolves with the page's clock when the first run row is laid out. */
async function firstRowAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    (selector) => {
      const row = document.querySelector(selector);
      return row !== null && row.getBoundingClientRect().height > 0 ? performance.now() : 0;
    },
    FIRST_ROW,
    { polling: 'raf', timeout: TIMEOUT },
  );
  return await handle.jsonValue();
}

export interface FirstRender {
  readonly wallMs: number;
  /** On the page's clock (0 = navigation start). */
  readonly renderedAt: number;
  readonly times: PageTimes;
  readonly long: LongFrameTotals;
}

/** (a) A new tab in the same context (HTTP cache kept: a returning user) opens the runs page. */
export async function firstRender(context: BrowserContext, api: string): Promise<FirstRender> {
  const page = await context.newPage();
  try {
    const t0 = performance.now();
    await page.goto(`${api}/projects/${PROJECT}`, { waitUntil: 'commit' });
    const renderedAt = await firstRowAt(page);
    const wallMs = performance.now() - t0;
    return { wallMs, renderedAt, times: await pageTimes(page), long: await longFrames(page) };
  } finally {
    await page.close();
  }
}

/**
 * Where a first render's time went, on the page's clock: html, app files, the keys request, the runs requests
 * in order (the page asks for the first page again once the keys pick its columns), the render.
 */
export function firstRenderPhases(r: FirstRender): Record<string, number> {
  const runs = requestsTo(r.times, RUNS_API).filter((q) => q.start <= r.renderedAt);
  const keys = requestsTo(r.times, `/api/v1/projects/${PROJECT}/keys`)[0];
  const answered = Math.max(...runs.filter((q) => q.end <= r.renderedAt).map((q) => q.end));
  const phases: Record<string, number> = {
    'index.html received': r.times.html,
    'app JS/CSS received': appLoaded(r.times),
    'keys request sent': keys?.start ?? Number.NaN,
    'keys request answered': keys?.end ?? Number.NaN,
  };
  for (const i of [0, 1]) {
    const q = runs[i];
    phases[`runs request #${i + 1} sent`] = q?.start ?? Number.NaN;
    phases[`runs request #${i + 1} answered`] = q?.end ?? Number.NaN;
    // 1 when it named the dynamic columns (config/summary), which the page knows only once the keys are in.
    phases[`runs request #${i + 1} with columns (1 = yes)`] = q === undefined ? Number.NaN : Number(!/columns=(&|$)/.test(q.url));
  }
  phases['runs requests sent before the render'] = runs.length;
  phases['first row rendered'] = r.renderedAt;
  phases['render after the last runs answer'] = r.renderedAt - answered;
  return { ...phases, ...longFramePhases(r.long) };
}

/** The URL of the page's first `runs?…total=true` request, for timing the API alone. */
export const firstRunsUrl = (r: FirstRender): string | undefined => requestsTo(r.times, RUNS_API).find((q) => q.url.includes('total=true'))?.url;

/** Opens the runs page in a new tab and waits for the first row and then for things to settle. */
export async function openRunsPage(context: BrowserContext, api: string, settleMs: number): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${api}/projects/${PROJECT}`);
  await firstRowAt(page);
  await page.waitForTimeout(settleMs);
  return page;
}

export interface Expected {
  readonly filter: string;
  readonly total: number;
  readonly firstId: string;
}

export interface FilterSample {
  readonly ms: number;
  /** The filter's runs request, relative to the Enter key: sent, answered. */
  readonly sentAfter: number;
  readonly answeredAfter: number;
}

/** (b) Types `expected.filter`, Escape, Enter; ms from the Enter keydown until count and first row match. */
export async function applyFilter(page: Page, expected: Expected): Promise<FilterSample> {
  await page.evaluate(() => performance.clearResourceTimings());
  await page.fill('[data-testid=filter-input]', expected.filter);
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const state = globalThis as unknown as { benchEnterAt?: number };
    state.benchEnterAt = undefined;
    document.addEventListener('keydown', (e) => e.key === 'Enter' && state.benchEnterAt === undefined && (state.benchEnterAt = performance.now()), true);
  });
  await page.keyboard.press('Enter');
  const handle = await page.waitForFunction(
    ({ total, firstId }) => {
      const count = Number((document.querySelector('[data-testid=run-count]')?.textContent ?? '').replace(/[^0-9]/g, ''));
      const row = document.querySelector('[data-testid=runs-table] [data-run]');
      return count === total && row?.getAttribute('data-run') === firstId ? performance.now() : 0;
    },
    { total: expected.total, firstId: expected.firstId },
    { polling: 'raf', timeout: TIMEOUT },
  );
  const shownAt = await handle.jsonValue();
  const enterAt = await page.evaluate(() => (globalThis as unknown as { benchEnterAt?: number }).benchEnterAt ?? Number.NaN);
  const request = requestsTo(await pageTimes(page), RUNS_API).find((q) => q.url.includes('filter=') && !q.url.includes('filter=&') && q.start >= enterAt);
  return { ms: shownAt - enterAt, sentAfter: (request?.start ?? Number.NaN) - enterAt, answeredAfter: (request?.end ?? Number.NaN) - enterAt };
}
