/**
 * The UI bench's browser: Debian's Chromium driven by playwright-core (headless, no GPU, as the browser test
 * tier runs it), and what every measurement reads back from a page — the Resource Timing entries of its
 * requests (so a time splits into network and render) and in-page clocks (performance.now(), whose zero is
 * the navigation's start).
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1400, height: 900 } as const;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** One request the page made: URL, method-agnostic; times in ms on the page's clock. */
export interface Request {
  readonly url: string;
  readonly start: number;
  readonly end: number;
  /** Bytes over the wire (0 when served from the HTTP cache). */
  readonly transfer: number;
}

export interface PageTimes {
  /** The document's response end (index.html). */
  readonly html: number;
  readonly requests: readonly Request[];
}

interface ResourceEntry {
  readonly name: string;
  readonly startTime: number;
  readonly responseEnd: number;
  readonly transferSize: number;
}

/** The page's navigation and resource timings, on its own clock. */
export async function pageTimes(page: Page): Promise<PageTimes> {
  return page.evaluate(() => {
    // The browser's Performance (Node's types know no 'navigation' entries).
    const timeline = performance as unknown as { getEntriesByType(type: string): ResourceEntry[] };
    const nav = timeline.getEntriesByType('navigation')[0];
    const entries = timeline.getEntriesByType('resource');
    return {
      html: nav?.responseEnd ?? 0,
      requests: entries.map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd, transfer: e.transferSize })),
    };
  });
}

/** Requests whose URL contains `part`. */
export const requestsTo = (times: PageTimes, part: string): Request[] => times.requests.filter((r) => r.url.includes(part));

/** When the last of the app's own files (/_app/…) arrived, on the page's clock. */
export const appLoaded = (times: PageTimes): number => Math.max(0, ...requestsTo(times, '/_app/').map((r) => r.end));

/** `fn` each time: its wall-clock milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Milliseconds of `repeat` sequential calls of `fn` after `warmup` unmeasured ones. */
export async function repeatTimed(warmup: number, repeat: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) times.push(await timed(fn));
  return times;
}

/** GET (or POST with a JSON body) that must answer 200; the body is read. */
export async function fetchOk(url: string, body?: unknown): Promise<string> {
  const init = body === undefined ? undefined : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** The page's long animation frames (> 50 ms of main-thread work) so far, summed. */
export interface LongFrameTotals {
  readonly count: number;
  readonly ms: number;
  /** Scripts of 5 ms or more. */
  readonly scriptMs: number;
  /** From style/layout start to the frame's end (style, layout, paint). */
  readonly layoutMs: number;
  /** The scripts that took most of it: `invoker (function)` and summed ms, largest first. */
  readonly top: readonly { readonly what: string; readonly ms: number }[];
}

interface LoafScript {
  readonly duration: number;
  readonly invoker: string;
  readonly sourceFunctionName: string;
}
interface Loaf {
  readonly duration: number;
  readonly startTime: number;
  readonly styleAndLayoutStart: number;
  readonly scripts: readonly LoafScript[];
}
type LoafObserver = new (fn: (list: { getEntries(): Loaf[] }) => void) => { observe(o: { type: string; buffered: boolean }): void; disconnect(): void };

/** Chromium's buffered long-animation-frame entries of the page (up to 200), summed. */
export async function longFrames(page: Page): Promise<LongFrameTotals> {
  return page.evaluate(
    () =>
      new Promise<LongFrameTotals>((resolve) => {
        const totals = { count: 0, ms: 0, scriptMs: 0, layoutMs: 0 };
        const by = new Map<string, number>();
        const Observer = (globalThis as unknown as { PerformanceObserver: LoafObserver }).PerformanceObserver;
        const observer = new Observer((list) => {
          for (const e of list.getEntries()) {
            totals.count++;
            totals.ms += e.duration;
            totals.layoutMs += e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
            for (const s of e.scripts) {
              totals.scriptMs += s.duration;
              const what = `${s.invoker}${s.sourceFunctionName ? ` (${s.sourceFunctionName})` : ''}`;
              by.set(what, (by.get(what) ?? 0) + s.duration);
            }
          }
        });
        observer.observe({ type: 'long-animation-frame', buffered: true });
        // Buffered entries are delivered in the observer's first callback, a task later.
        setTimeout(() => {
          observer.disconnect();
          const top = [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([what, ms]) => ({ what, ms }));
          resolve({ ...totals, top });
        }, 50);
      }),
  );
}

/** Long-frame totals as phase columns. */
export const longFramePhases = (l: LongFrameTotals): Record<string, number> => ({
  'long frames (> 50 ms) until done': l.count,
  'long frames: total ms': l.ms,
  'long frames: script ms': l.scriptMs,
  'long frames: style+layout+paint ms': l.layoutMs,
});

export const topScripts = (l: LongFrameTotals | undefined): string => (l?.top ?? []).map((t) => `${t.what} ${Math.round(t.ms)} ms`).join('; ') || 'none';
