/**
 * The runs table's data: keyset pages of the run list, loaded in order as the viewport nears them (the API
 * pages by cursor, so row N is reached by walking the pages before it; a small first page, then pages of 500,
 * keep that to a few requests). Each page remembers the cursor that fetched it, so live refresh re-asks exactly the pages on
 * screen. A new query (filter, sort, columns) drops everything; answers of an older query are ignored.
 */
import { api, data, describe, ApiError } from './api/client.js';
import type { Run } from './api/types.js';

/** Rows per page after the first. */
export const PAGE = 500;
/** The first page is small: a screen and a half, so the table shows up before the rest is needed. */
export const FIRST_PAGE = 60;

export interface RunsQuery {
  readonly project: string;
  readonly filter: string;
  readonly sort: string;
  /** `columns=` of the API: the config paths and summary keys the table shows. */
  readonly columns: string;
}

interface Page {
  readonly after: string | undefined;
  readonly next: string | null;
  readonly runs: Run[];
}

export class RunsSource {
  pages = $state.raw<Page[]>([]);
  total = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  errorText = $state<string | null>(null);
  loading = $state(false);
  #query: RunsQuery | null = null;
  #generation = 0;
  #walking: Promise<void> | null = null;

  /** Rows loaded so far, in order. */
  readonly rows = $derived(this.pages.flatMap((p) => p.runs));
  readonly done = $derived(this.pages.length > 0 && this.pages[this.pages.length - 1]?.next === null);

  /** Starts over for a new query; resolves when its first page is in (or failed). */
  async reset(query: RunsQuery): Promise<void> {
    this.#query = query;
    this.#generation += 1;
    this.#walking = null;
    this.error = null;
    this.errorText = null;
    const first = await this.#fetch(undefined, true, FIRST_PAGE);
    if (first === undefined) return;
    this.pages = [first.page];
    this.total = first.total;
  }

  /** Loads pages until row `index` is in (or the list ends). */
  ensure(index: number): Promise<void> {
    if (this.#walking) return this.#walking;
    if (index < this.rows.length || this.done || this.pages.length === 0) return Promise.resolve();
    const generation = this.#generation;
    this.#walking = (async () => {
      while (generation === this.#generation && !this.done && index >= this.rows.length) {
        const last = this.pages[this.pages.length - 1];
        if (last?.next == null) break;
        const more = await this.#fetch(last.next, false, PAGE);
        if (more === undefined || generation !== this.#generation) break;
        this.pages = [...this.pages, more.page];
      }
    })().finally(() => {
      if (generation === this.#generation) this.#walking = null;
    });
    return this.#walking;
  }

  /**
   * Re-fetches the pages holding rows [from, to) (live refresh). When the first page's answer shows the list
   * changed in size, later pages are dropped (they reload as the viewport reaches them) so no row is shown twice.
   */
  async refresh(from: number, to: number): Promise<void> {
    if (this.#walking || this.pages.length === 0) return;
    const generation = this.#generation;
    const [first, last] = this.#pagesOf(from, Math.max(from, to - 1));
    for (let i = first; i <= last; i++) {
      const old = this.pages[i];
      if (old === undefined) break;
      const fresh = await this.#fetch(old.after, i === 0, i === 0 ? FIRST_PAGE : PAGE);
      if (fresh === undefined || generation !== this.#generation) return;
      const grew = i === 0 && fresh.total !== this.total;
      this.pages = grew ? [fresh.page] : this.pages.map((p, k) => (k === i ? fresh.page : p));
      if (i === 0) this.total = fresh.total;
      if (grew) return;
    }
  }

  /** The indexes of the pages holding rows `from` and `to` (pages differ in size). */
  #pagesOf(from: number, to: number): [number, number] {
    let start = 0;
    let first = -1;
    for (const [i, page] of this.pages.entries()) {
      const end = start + page.runs.length;
      if (first < 0 && from < end) first = i;
      if (to < end) return [Math.max(first, 0), i];
      start = end;
    }
    return [Math.max(first, 0), this.pages.length - 1];
  }

  async #fetch(after: string | undefined, withTotal: boolean, limit: number): Promise<{ page: Page; total: number | null } | undefined> {
    const query = this.#query;
    if (query === null) return undefined;
    const generation = this.#generation;
    this.loading = true;
    try {
      const body = await data(
        api.GET('/api/v1/projects/{project}/runs', {
          params: {
            path: { project: query.project },
            query: { filter: query.filter, sort: query.sort, limit, total: withTotal, columns: query.columns, ...(after === undefined ? {} : { cursor: after }) },
          },
        }),
      );
      if (generation !== this.#generation) return undefined;
      return { page: { after, next: body.nextCursor, runs: body.runs }, total: body.total };
    } catch (error) {
      if (generation === this.#generation) {
        this.error = error instanceof ApiError ? error : null;
        this.errorText = describe(error);
      }
      return undefined;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
