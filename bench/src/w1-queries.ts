/**
 * W1's queries and their timing: each query through the real HTTP API (fetch with keep-alive against a
 * listening server: routing, validation, the registry's project check, page ∥ count, the page's summaries,
 * JSON), and the same filter/sort straight through @mlrun/storage (listRuns, countRuns, the page's
 * readSummariesForRuns), which is what ClickHouse costs without HTTP.
 */
import { parseFilter, parseSort } from '@mlrun/query';
import type { ClickHouse, Filter, SortSpec } from '@mlrun/storage';
import { countRuns, listRuns, readSummariesForRuns } from '@mlrun/storage';
import type { Summary } from './stats.js';
import { summarize } from './stats.js';

export interface W1Query {
  readonly name: string;
  readonly filter: string;
  readonly sort: string;
  /** Ask for `total` (one more ClickHouse query, run alongside the page's). */
  readonly total: boolean;
  /** Measure the second page (the first page's nextCursor) instead of the first. */
  readonly secondPage?: boolean;
}

export const LR_RANGE = 'config.optimizer.lr >= 1e-4 and config.optimizer.lr < 3e-4';
export const TAG = 'tags has "baseline"';
export const BY_SUMMARY = 'summary.val_loss.last asc';
export const COMBINED = 'config.optimizer.name = "adamw" and tags has "baseline" and summary.val_loss.last < 1.5';
export const PAGE_SIZE = 50;

export const QUERIES: readonly W1Query[] = [
  { name: 'first page, unsorted', filter: '', sort: '', total: false },
  { name: 'config range filter', filter: LR_RANGE, sort: '', total: false },
  { name: 'tag filter', filter: TAG, sort: '', total: false },
  { name: 'sort by summary', filter: '', sort: BY_SUMMARY, total: false },
  { name: 'filter + sort', filter: COMBINED, sort: BY_SUMMARY, total: false },
  { name: 'second page (cursor), sort by summary', filter: '', sort: BY_SUMMARY, total: false, secondPage: true },
  { name: 'first page + total', filter: '', sort: '', total: true },
  { name: 'config range filter + total', filter: LR_RANGE, sort: '', total: true },
  { name: 'filter + sort + total', filter: COMBINED, sort: BY_SUMMARY, total: true },
];

interface ListBody {
  runs: { id: string }[];
  total: number | null;
  nextCursor: string | null;
}

export interface HttpTiming {
  readonly query: W1Query;
  readonly ms: Summary;
  readonly rows: number;
  readonly total: number | null;
}

function listUrl(base: string, project: string, q: W1Query, cursor?: string): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), total: String(q.total) });
  if (q.filter) params.set('filter', q.filter);
  if (q.sort) params.set('sort', q.sort);
  if (cursor !== undefined) params.set('cursor', cursor);
  return `${base}/api/v1/projects/${encodeURIComponent(project)}/runs?${params.toString()}`;
}

export async function getList(url: string): Promise<ListBody> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as ListBody;
}

async function timeIt(repeat: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** One query through HTTP: `warmup` unmeasured, then `iterations` timed requests, one at a time. */
export async function measureHttp(base: string, project: string, q: W1Query, warmup: number, iterations: number): Promise<HttpTiming> {
  let cursor: string | undefined;
  if (q.secondPage) {
    const first = await getList(listUrl(base, project, q));
    cursor = first.nextCursor ?? undefined;
    if (cursor === undefined) throw new Error(`${q.name}: the first page has no next cursor`);
  }
  const url = listUrl(base, project, q, cursor);
  let last: ListBody = { runs: [], total: null, nextCursor: null };
  await timeIt(warmup, async () => (last = await getList(url)));
  const times = await timeIt(iterations, async () => (last = await getList(url)));
  return { query: q, ms: summarize(times), rows: last.runs.length, total: last.total };
}

export interface StorageTiming {
  readonly name: string;
  readonly list: Summary;
  readonly count: Summary;
  readonly summaries: Summary;
  readonly matched: number;
}

function parsed(filterText: string, sortText: string): { filter: Filter; sort: SortSpec } {
  const filter = parseFilter(filterText);
  const sort = parseSort(sortText);
  if (!filter.ok || !sort.ok) throw new Error(`bad W1 query: ${filterText} / ${sortText}`);
  return { filter: filter.ast, sort: sort.sort };
}

/** The same filter/sort without HTTP: listRuns (page), countRuns (total), the page's summaries. */
export async function measureStorage(ch: ClickHouse, project: string, q: W1Query, crashAfterMs: number, warmup: number, iterations: number): Promise<StorageTiming> {
  const { filter, sort } = parsed(q.filter, q.sort);
  const base = { project, filter, crashAfterMs };
  const first = await listRuns(ch, { ...base, sort, limit: PAGE_SIZE });
  const after = q.secondPage ? (first.next ?? undefined) : undefined;
  const page = () => listRuns(ch, { ...base, sort, limit: PAGE_SIZE, after, nowMs: Date.now() });
  const ids = (await page()).runs.map((r) => r.id);
  let matched = 0;
  const count = async () => (matched = await countRuns(ch, { ...base, nowMs: Date.now() }));
  const pageSummaries = () => readSummariesForRuns(ch, { project, runIds: ids });
  for (const fn of [page, count, pageSummaries]) await timeIt(warmup, fn);
  return {
    name: q.name,
    list: summarize(await timeIt(iterations, page)),
    count: summarize(await timeIt(iterations, count)),
    summaries: summarize(await timeIt(iterations, pageSummaries)),
    matched,
  };
}
