/** How a run's metric keys are laid out on its chart page. */

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
