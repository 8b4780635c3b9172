/**
 * The trace view, measured in the browser: open (goto → the waterfall's first rows laid out), expand a
 * collapsed span (click → its children on screen, including the children request), toggle a span with a
 * whole subtree under it. Every time is on the page's clock and ends at the frame that shows the result.
 */
import type { Page } from 'playwright-core';

// What the in-page callbacks use of the DOM (this program has no DOM types).
interface El {
  scrollTop: number;
  readonly clientHeight: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  getBoundingClientRect(): { height: number };
  click(): void;
}
declare const document: { querySelector(selector: string): El | null; querySelectorAll(selector: string): ArrayLike<El> };
declare function requestAnimationFrame(fn: () => void): number;

export const WATERFALL = '[data-testid=waterfall]';
const TIMEOUT = 60_000;
export const ROW_PX = 26;

/** Opens the trace page in a new tab; resolves with the page and the time (page clock) its first rows were laid out. */
export async function openTrace(page: Page, url: string, minRows: number): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    ({ selector, rows }) => {
      const tree = document.querySelector(selector);
      const row = tree?.querySelector('[role=treeitem]');
      return tree && row && Number(tree.getAttribute('data-rows')) >= rows && row.getBoundingClientRect().height > 0 ? performance.now() : 0;
    },
    { selector: WATERFALL, rows: minRows },
    { polling: 'raf', timeout: TIMEOUT },
  );
  return await handle.jsonValue();
}

export interface Expansion {
  /** The row's index in the waterfall (-1: nothing left to expand). */
  readonly index: number;
  /** Click → the frame after the waterfall grew (children fetched, flattened, rendered). */
  readonly ms: number;
  /** Rows in the waterfall after it. */
  readonly rows: number;
}

/**
 * Finds the first collapsed span after row `after` (scrolling there as a user would), clicks its toggle and
 * waits for the rows to grow and a frame to pass.
 */
export async function expandNext(page: Page, after: number): Promise<Expansion> {
  return page.evaluate(
    ({ selector, after, rowPx, timeout }) =>
      new Promise<Expansion>((resolve, reject) => {
        const tree = document.querySelector(selector);
        if (tree === null) throw new Error('no waterfall');
        const rowsNow = (): number => Number(tree.getAttribute('data-rows'));
        // Chromium serialises the style's numbers to 6 significant digits (translateY(1.00001e+06px)): parse the
        // exponent and round to the row; exact to the row up to ~3M px (115k rows).
        const indexOf = (el: El): number => Math.round(Number(/translateY\(([\d.e+]+)px\)/.exec(el.getAttribute('style') ?? '')?.[1] ?? -1) / rowPx);
        const total = rowsNow();
        const items = (): El[] => Array.from(document.querySelectorAll(`${selector} [role=treeitem]`));
        // The rows drawn follow a scroll a frame later (the scroll event updates the view's state): look
        // only once the row at the top of the viewport exists, or collapsed rows would be skipped.
        const drawn = (): boolean => items().some((el) => indexOf(el) === Math.floor(tree.scrollTop / rowPx));
        const started = performance.now();
        const find = (): void => {
          if (performance.now() - started > timeout) {
            const shown = items().map(indexOf);
            reject(new Error(`no collapsed row found after ${after}: scrollTop ${tree.scrollTop}, ${total} rows, drawn ${Math.min(...shown)}…${Math.max(...shown)}`));
            return;
          }
          if (!drawn()) {
            requestAnimationFrame(find);
            return;
          }
          const collapsed = Array.from(document.querySelectorAll(`${selector} [role=treeitem][aria-expanded=false]`))
            .map((el) => ({ el, index: indexOf(el) }))
            .filter((r) => r.index > after)
            .sort((a, b) => a.index - b.index)[0];
          if (collapsed === undefined) {
            if (tree.scrollTop + tree.clientHeight >= total * rowPx) {
              resolve({ index: -1, ms: 0, rows: total });
              return;
            }
            tree.scrollTop += tree.clientHeight;
            requestAnimationFrame(find);
            return;
          }
          const toggle = collapsed.el.querySelector('button.toggle');
          if (toggle === null) throw new Error('a collapsed row without a toggle');
          const t0 = performance.now();
          toggle.click();
          const wait = (): void => {
            if (rowsNow() > total) requestAnimationFrame(() => resolve({ index: collapsed.index, ms: performance.now() - t0, rows: rowsNow() }));
            else if (performance.now() - t0 > timeout) reject(new Error(`row ${collapsed.index} did not expand`));
            else requestAnimationFrame(wait);
          };
          requestAnimationFrame(wait);
        };
        tree.scrollTop = Math.max(0, (after + 1) * rowPx);
        requestAnimationFrame(find);
      }),
    { selector: WATERFALL, after, rowPx: ROW_PX, timeout: TIMEOUT },
  );
}

/** Scrolls to the top and clicks the first row's toggle: ms until the row count changed and a frame passed. */
export async function toggleFirst(page: Page): Promise<{ ms: number; rows: number }> {
  return page.evaluate(
    ({ selector, timeout }) =>
      new Promise<{ ms: number; rows: number }>((resolve, reject) => {
        const tree = document.querySelector(selector);
        if (tree === null) throw new Error('no waterfall');
        tree.scrollTop = 0;
        requestAnimationFrame(() => {
          const before = tree.getAttribute('data-rows');
          const toggle = tree.querySelector('[role=treeitem] button.toggle');
          if (toggle === null) throw new Error('the first row has no toggle');
          const t0 = performance.now();
          toggle.click();
          const wait = (): void => {
            if (tree.getAttribute('data-rows') !== before) requestAnimationFrame(() => resolve({ ms: performance.now() - t0, rows: Number(tree.getAttribute('data-rows')) }));
            else if (performance.now() - t0 > timeout) reject(new Error('the first row did not toggle'));
            else requestAnimationFrame(wait);
          };
          requestAnimationFrame(wait);
        });
      }),
    { selector: WATERFALL, timeout: TIMEOUT },
  );
}

/** The page's JS heap in MiB (Chromium's performance.memory). */
export async function heapMiB(page: Page): Promise<number> {
  return page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? Number.NaN) / 2 ** 20);
}
