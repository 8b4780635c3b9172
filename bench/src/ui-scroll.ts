/**
 * (c) The runs table scrolled in the browser: a requestAnimationFrame loop moves the table (its own scroll
 * container) a fixed number of pixels each frame and records every frame interval — down from the top (rows
 * load lazily, pages of 500, as the viewport nears them: part of what is measured), back up over rows already
 * loaded, and still (the frame cadence of headless Chromium here, for reference). Chromium's long animation
 * frame entries (> 50 ms) say whether script or style/layout took the time.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { pageTimes, requestsTo } from './ui-browser.js';
import { openRunsPage, RUNS_API } from './ui-runs.js';
import type { Summary } from './stats.js';
import { fmt, summarize } from './stats.js';

interface El {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}
declare const document: { querySelector(selector: string): El | null; querySelectorAll(selector: string): ArrayLike<El> };
declare function requestAnimationFrame(fn: (frameStart: number) => void): number;

/** Long animation frames (> 50 ms) of a pass, summed: where their time went (Chromium's LoAF entries). */
export interface LongFrames {
  readonly count: number;
  readonly ms: number;
  /** Scripts of 5 ms or more (event handlers, Svelte's updates, the bench's rAF callback). */
  readonly scriptMs: number;
  /** Style recalculation and layout (and what follows them in the frame: paint). */
  readonly layoutMs: number;
}

export interface ScrollSample {
  readonly frames: number[];
  /**
   * Main-thread time of each frame: from the frame's start (the rAF timestamp) until a task posted from the
   * rAF callback runs, i.e. after the frame's scroll events, Svelte's updates, style, layout and paint.
   */
  readonly work: number[];
  readonly scrolledPx: number;
  /** Frames in which a not-yet-loaded ('loading…') row was in the DOM. */
  readonly placeholderFrames: number;
  readonly longFrames: LongFrames;
  readonly runsRequests: number;
}

interface LoafEntry {
  readonly duration: number;
  readonly startTime: number;
  readonly styleAndLayoutStart: number;
  readonly scripts: readonly { readonly duration: number }[];
}
type Channel = new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: number): void } };
type Observer = new (fn: (list: { getEntries(): LoafEntry[] }) => void) => { observe(o: { type: string }): void; disconnect(): void };

/** A scroll container and, for lists that load as they scroll, what marks a row not loaded yet. */
export interface Scroller {
  readonly container: string;
  readonly placeholder?: string;
}

const RUNS_TABLE: Scroller = { container: '[data-testid=runs-table]', placeholder: '[data-testid=runs-table] .placeholder' };

/**
 * Scrolls `target.container` for `durationMs`, recording every frame interval: `stepPx` per animation frame
 * (0: stays still), or with `jump` to a random position each frame (dragging the scrollbar).
 */
export async function scrollFrames(page: Page, target: Scroller, stepPx: number, durationMs: number, jump = false): Promise<Omit<ScrollSample, 'runsRequests'>> {
  return page.evaluate(
    ({ step, duration, jumps, container, placeholder }) =>
      new Promise<Omit<ScrollSample, 'runsRequests'>>((resolve) => {
        const table = document.querySelector(container);
        if (table === null) throw new Error(`no ${container}`);
        const longFrames = { count: 0, ms: 0, scriptMs: 0, layoutMs: 0 };
        const PerfObserver = (globalThis as unknown as { PerformanceObserver: Observer }).PerformanceObserver;
        const observer = new PerfObserver((list) => {
          for (const e of list.getEntries()) {
            longFrames.count++;
            longFrames.ms += e.duration;
            longFrames.scriptMs += e.scripts.reduce((n, x) => n + x.duration, 0);
            longFrames.layoutMs += e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
          }
        });
        observer.observe({ type: 'long-animation-frame' });
        const frames: number[] = [];
        const work: number[] = [];
        let frameStart = 0;
        const channel = new (globalThis as unknown as { MessageChannel: Channel }).MessageChannel();
        channel.port1.onmessage = () => work.push(performance.now() - frameStart);
        let placeholderFrames = 0;
        let moved = 0;
        let position = table.scrollTop;
        const start = performance.now();
        let last = start;
        const tick = (at: number): void => {
          const now = performance.now();
          frameStart = at;
          channel.port2.postMessage(0);
          frames.push(now - last);
          last = now;
          moved += Math.abs(table.scrollTop - position);
          position = table.scrollTop;
          if (placeholder !== null && document.querySelectorAll(placeholder).length > 0) placeholderFrames++;
          if (now - start >= duration) {
            // LoAF entries of the last frames arrive after them.
            setTimeout(() => {
              observer.disconnect();
              resolve({ frames: frames.slice(1), work: work.slice(1), scrolledPx: moved, placeholderFrames, longFrames });
            }, 200);
            return;
          }
          if (jumps) table.scrollTop = Math.random() * (table.scrollHeight - table.clientHeight);
          else table.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { step: stepPx, duration: durationMs, jumps: jump, container: target.container, placeholder: target.placeholder ?? null },
  );
}

/** (c) Scrolls the runs table `stepPx` per animation frame (0: stays still) for `durationMs`; counts the runs requests it made. */
export async function scrollTable(page: Page, stepPx: number, durationMs: number): Promise<ScrollSample> {
  await page.evaluate(() => performance.clearResourceTimings());
  const sample = await scrollFrames(page, RUNS_TABLE, stepPx, durationMs);
  return { ...sample, runsRequests: requestsTo(await pageTimes(page), RUNS_API).length };
}

export const SCROLL_STEP_PX = 120;
export const SCROLL_MS = 5000;
const IDLE_MS = 2000;
const ROW_PX = 32;

type Pass = 'down (loading)' | 'up (loaded rows)' | 'still';

export interface Scrolling {
  /** Frame intervals of the measured down passes, pooled (what the target is about). */
  readonly down: Summary;
  readonly note: string;
  readonly lines: string[];
}

function passRow(name: Pass, samples: readonly ScrollSample[]): string {
  const frames = samples.flatMap((s) => s.frames);
  const ms = summarize(frames);
  const sum = (f: (l: LongFrames) => number): string => fmt(samples.reduce((n, s) => n + f(s.longFrames), 0), 0);
  const rows = summarize(samples.map((s) => s.scrolledPx / ROW_PX)).p50;
  const placeholders = samples.reduce((n, s) => n + s.placeholderFrames, 0);
  const requests = summarize(samples.map((s) => s.runsRequests)).p50;
  const work = summarize(samples.flatMap((s) => s.work));
  return `| ${name} | ${samples.length} | ${frames.length} | ${fmt(ms.p50)} | ${fmt(ms.p95)} | ${fmt(ms.max)} | ${frames.filter((f) => f > 50).length} | ${fmt(work.p50)} | ${fmt(work.p95)} | ${fmt(work.max)} | ${fmt(rows, 0)} | ${placeholders} | ${requests} | ${sum((l) => l.count)} | ${sum((l) => l.ms)} | ${sum((l) => l.scriptMs)} | ${sum((l) => l.layoutMs)} |`;
}

/** `iterations` fresh runs pages (after one warm-up), each scrolled down then back up; one still pass. */
export async function measureScrolling(context: BrowserContext, api: string, iterations: number, log: (line: string) => void): Promise<Scrolling> {
  const passes: Record<Pass, ScrollSample[]> = { 'down (loading)': [], 'up (loaded rows)': [], still: [] };
  for (let i = 0; i <= iterations; i++) {
    const page = await openRunsPage(context, api, 1000);
    try {
      if (i === 0) passes.still.push(await scrollTable(page, 0, IDLE_MS));
      const down = await scrollTable(page, SCROLL_STEP_PX, SCROLL_MS);
      const up = await scrollTable(page, -SCROLL_STEP_PX, SCROLL_MS);
      if (i > 0) {
        passes['down (loading)'].push(down);
        passes['up (loaded rows)'].push(up);
      }
      const p95 = (s: ScrollSample): string => fmt(summarize(s.frames).p95);
      log(`  (c) scroll ${i === 0 ? 'warm-up' : `${i}/${iterations}`}: down ${down.frames.length} frames p95 ${p95(down)} ms, ${fmt(down.scrolledPx / ROW_PX, 0)} rows; up p95 ${p95(up)} ms`);
    } finally {
      await page.close();
    }
  }
  const downs = passes['down (loading)'];
  const frames = downs.flatMap((s) => s.frames);
  const rows = summarize(downs.map((s) => s.scrolledPx / ROW_PX)).p50;
  const note = `${downs.length} passes of ${SCROLL_MS / 1000} s down from the top at ${SCROLL_STEP_PX} px/frame, ${fmt(rows, 0)} rows each (p50); ${frames.filter((f) => f > 50).length} of ${frames.length} frames > 50 ms`;
  const lines = [
    "(c) scrolling — every pass (frame intervals in ms; main-thread work = frame start → a task posted from the rAF callback runs, i.e. scroll handlers + Svelte + style/layout/paint; long frames = Chromium's long animation frames (> 50 ms of main-thread work), their time summed):",
    '',
    '| pass | passes | frames | p50 | p95 | max | > 50 ms | main-thread work p50 | p95 | max | rows/pass | frames with loading… rows | runs requests/pass | long frames | their ms | script ms | style+layout+paint ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...(Object.keys(passes) as Pass[]).map((name) => passRow(name, passes[name])),
    '',
  ];
  return { down: summarize(frames), note, lines };
}
