/**
 * A project's config keys, recomputed only when its runs changed. `readConfigKeys` reads every run's
 * config map (~110 ms at 100k runs) and the runs page asks for it on every visit; `readRunsRevision` (the
 * project's highest run revision, from one global sequence, so it moves with every run written or
 * deleted) costs one column read and says whether the last answer still holds. A write landing between
 * the two reads leaves an entry tagged older than its keys, which the next request recomputes.
 */
import type { ClickHouse, ConfigKey } from '@mlrun/storage';
import { readConfigKeys, readRunsRevision } from '@mlrun/storage';

interface Entry {
  readonly revision: bigint;
  readonly keys: Promise<ConfigKey[]>;
}

export class ConfigKeysCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly ch: ClickHouse,
    /** Projects remembered; the least recently asked is dropped first. */
    private readonly capacity = 64,
  ) {}

  async get(project: string): Promise<ConfigKey[]> {
    const revision = await readRunsRevision(this.ch, project);
    const hit = this.#entries.get(project);
    this.#entries.delete(project);
    if (hit !== undefined && hit.revision === revision) {
      this.#entries.set(project, hit);
      return hit.keys;
    }
    const entry: Entry = { revision, keys: readConfigKeys(this.ch, project) };
    this.#entries.set(project, entry);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value ?? '');
    // A failed read is not remembered (the next request tries again).
    entry.keys.catch(() => {
      if (this.#entries.get(project) === entry) this.#entries.delete(project);
    });
    return entry.keys;
  }
}
