/**
 * Record-id de-duplication of log records (docs/architecture.md, "Reliability contract"). A request's
 * records that carry an `mlrun.record.id` are admitted only if the id is new: not repeated earlier in the
 * request, not among the ids recently stored by this process (an LRU), not being stored right now by
 * another request (then its outcome decides), and not in storage (one lookup per request). The request
 * then owns ("claims") its new ids until it settles: stored, or failed so that another copy may store them.
 *
 * A request never holds a claim while it waits for another's, so two requests that share ids cannot wait
 * on each other: it waits for every conflicting claim first, then claims all of its ids in one step.
 */
import type { ILogRecord } from '@mlrun/proto';
import type { RecordIdLookup } from '../options.js';
import type { RecordRef } from './record-ids.js';

/** What `admit` decided for one request. */
export interface Admission {
  /** Records to remove before mapping: repeats within the request, ids stored or stored meanwhile. */
  readonly drop: ReadonlySet<ILogRecord>;
  /** The records whose ids this request now owns: store them, then settle. */
  readonly claimed: readonly RecordRef[];
  /** Ends the claim. `stored`: the rows are written (the ids count as known); false: another copy may store them. */
  settle(stored: boolean): void;
}

/** The most recently stored keys, oldest evicted first (a Set iterates in insertion order). */
class RecentIds {
  readonly #keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    if (!this.#keys.has(key)) return false;
    this.#keys.delete(key);
    this.#keys.add(key);
    return true;
  }

  add(key: string): void {
    if (this.capacity <= 0) return;
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size > this.capacity) this.#keys.delete(this.#keys.values().next().value as string);
  }
}

export class RecordDedup {
  readonly #recent: RecentIds;
  /** Keys claimed by a request in flight → resolves when that request settles (never rejects). */
  readonly #claims = new Map<string, Promise<void>>();
  #dropped = 0;

  constructor(
    private readonly lookup: RecordIdLookup,
    cacheSize: number,
  ) {
    this.#recent = new RecentIds(cacheSize);
  }

  /** Records dropped as duplicates since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Decides which of `refs` (in request order) are new, and claims them. Throws if the lookup fails. */
  async admit(refs: readonly RecordRef[]): Promise<Admission> {
    const drop = new Set<ILogRecord>();
    const fresh = new Map<string, RecordRef>();
    for (const ref of refs) {
      if (fresh.has(ref.key)) drop.add(ref.record);
      else fresh.set(ref.key, ref);
    }
    await this.#awaitOtherClaims(fresh, drop);
    // No await between the last check and these claims: no other request can claim a key in between.
    let resolve!: () => void;
    const claim = new Promise<void>((r) => (resolve = r));
    for (const key of fresh.keys()) this.#claims.set(key, claim);
    let settled = false;
    const settle = (stored: boolean): void => {
      if (settled) return;
      settled = true;
      for (const key of fresh.keys()) this.#release(key, claim, stored);
      resolve();
    };
    try {
      const known = await this.#stored(fresh);
      for (const key of known) {
        const ref = fresh.get(key);
        if (!ref) continue;
        drop.add(ref.record);
        fresh.delete(key);
        this.#release(key, claim, true);
      }
    } catch (error) {
      settle(false);
      throw error;
    }
    this.#dropped += drop.size;
    return { drop, claimed: [...fresh.values()], settle };
  }

  /** Drops keys known to be stored; while any key is claimed by another request, waits for it and looks again. */
  async #awaitOtherClaims(fresh: Map<string, RecordRef>, drop: Set<ILogRecord>): Promise<void> {
    for (;;) {
      const pending = new Set<Promise<void>>();
      for (const [key, ref] of fresh) {
        if (this.#recent.has(key)) {
          drop.add(ref.record);
          fresh.delete(key);
          continue;
        }
        const claim = this.#claims.get(key);
        if (claim) pending.add(claim);
      }
      if (pending.size === 0) return;
      await Promise.all(pending);
    }
  }

  /** The keys of `fresh` that storage already holds: one lookup per project (usually one). */
  async #stored(fresh: ReadonlyMap<string, RecordRef>): Promise<Set<string>> {
    const byProject = new Map<string, string[]>();
    for (const ref of fresh.values()) {
      const ids = byProject.get(ref.project);
      if (ids) ids.push(ref.id);
      else byProject.set(ref.project, [ref.id]);
    }
    const known = new Set<string>();
    const answers = await Promise.all([...byProject].map(async ([project, ids]) => ({ project, ids: await this.lookup.known(project, ids) })));
    for (const { project, ids } of answers) for (const id of ids) known.add(`${project}\u0000${id}`);
    return known;
  }

  #release(key: string, claim: Promise<void>, stored: boolean): void {
    if (this.#claims.get(key) === claim) this.#claims.delete(key);
    if (stored) this.#recent.add(key);
  }
}
