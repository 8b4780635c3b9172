/**
 * Fetches chart series for a set of runs: charts ask for one key each, and the keys asked within the same
 * tick go out as one `POST /series` (at most 20 keys per request), so a page of 20 charts costs one round
 * trip. The server downsamples to `maxPoints` buckets of (last, min, max, count) per series.
 */
import { api, data } from './api/client.js';
import type { Series, XAxis } from './api/types.js';

export interface SeriesParams {
  readonly project: string;
  readonly runs: readonly string[];
  readonly xAxis: XAxis;
  readonly xMin: number | null;
  readonly xMax: number | null;
  readonly maxPoints: number;
}

const KEYS_PER_REQUEST = 20;

interface Waiting {
  readonly key: string;
  readonly resolve: (series: Series[]) => void;
  readonly reject: (error: unknown) => void;
}

export class SeriesLoader {
  #queue: Waiting[] = [];
  #scheduled = false;

  constructor(readonly params: SeriesParams) {}

  /** The series of `key` for every run (one per run and label set that has points). */
  load(key: string): Promise<Series[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (let i = 0; i < queue.length; i += KEYS_PER_REQUEST) void this.#request(queue.slice(i, i + KEYS_PER_REQUEST));
  }

  async #request(batch: readonly Waiting[]): Promise<void> {
    const { project, runs, xAxis, xMin, xMax, maxPoints } = this.params;
    const keys = [...new Set(batch.map((w) => w.key))];
    try {
      const body = await data(
        api.POST('/api/v1/projects/{project}/series', {
          params: { path: { project } },
          body: { runs: [...runs], keys, xAxis, maxPoints, ...(xMin === null ? {} : { xMin }), ...(xMax === null ? {} : { xMax }) },
        }),
      );
      for (const w of batch) w.resolve(body.series.filter((s) => s.key === w.key));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}

/** Metric keys in sections by their prefix before the first '/' (`train/loss` → `train`), W&B style. */
export function sectionKeys(keys: readonly string[]): { name: string; keys: string[] }[] {
  const sections = new Map<string, string[]>();
  for (const key of keys) {
    const slash = key.indexOf('/');
    const name = slash > 0 ? key.slice(0, slash) : 'charts';
    const list = sections.get(name) ?? [];
    list.push(key);
    sections.set(name, list);
  }
  return [...sections.entries()].sort(([a], [b]) => (a === 'charts' ? -1 : b === 'charts' ? 1 : a.localeCompare(b))).map(([name, k]) => ({ name, keys: k }));
}
