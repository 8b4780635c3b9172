/**
 * The project's keys (config paths, metric keys), remembered in localStorage between visits: the runs
 * table's default columns come from them, so a returning visitor's first page can be asked for at once
 * while fresh keys load beside it (stale-while-revalidate); a first visit waits for the keys. A change in
 * the keys later simply re-queries with the new default columns.
 */
import type { Keys } from './api/types.js';

const PREFIX = 'mlrun.keys.v1:';

export function cachedKeys(project: string): Keys | null {
  try {
    const text = globalThis.localStorage?.getItem(PREFIX + project);
    if (!text) return null;
    const keys = JSON.parse(text) as Keys;
    return Array.isArray(keys.config) && Array.isArray(keys.metrics) ? keys : null;
  } catch {
    return null;
  }
}

export function rememberKeys(project: string, keys: Keys): void {
  try {
    globalThis.localStorage?.setItem(PREFIX + project, JSON.stringify(keys));
  } catch {
    // Storage full or disabled: the cache is an optimisation only.
  }
}
