/**
 * Fetches chart series for a set of runs: charts ask for one key each, and the keys asked within a short
 * window (charts scrolling into view report in separate tasks, so a microtask is too short) go out as one
 * `POST /series` of at most 20 keys: a page of 20 charts costs one round trip, not 20 queued ones. The server
 * downsamples to `maxPoints` buckets of (last, min, max, count) per series.
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
/** How long the first ask waits for the others (ms). */
const BATCH_WINDOW_MS = 12;

interface Waiting {
  readonly key: string;
  readonly resolve: (series: Series[]) => void;
  readonly reject: (error: unknown) => void;
}

export class SeriesLoader {
  #queue: Waiting[] = [];
  #scheduled = false;
  /** Answers by key and version: a chart asking again for the same version gets the same answer. */
  #cache = new Map<string, Promise<Series[]>>();

  constructor(readonly params: SeriesParams) {}

  /**
   * The series of `key` for every run (one per run and label set that has points). `version` changes when
   * the key gained points (live refresh): a new version is fetched again, the same one is not.
   */
  load(key: string, version = 0): Promise<Series[]> {
    const id = `${version}\u0000${key}`;
    let answer = this.#cache.get(id);
    if (answer === undefined) {
      answer = this.#enqueue(key);
      this.#cache.set(id, answer);
      answer.catch(() => this.#cache.delete(id));
    }
    return answer;
  }

  #enqueue(key: string): Promise<Series[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setTimeout(() => this.#flush(), BATCH_WINDOW_MS);
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
