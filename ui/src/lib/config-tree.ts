/**
 * A run's config as rows of an expandable tree: objects are non-leaf rows followed by their children
 * (depth-first, in the config's key order); everything else, arrays and empty objects included, is a leaf
 * whose value the table shows formatted (arrays and objects as JSON). Search keeps the ancestors of every
 * match so a matching leaf is still shown under its path.
 */
import { formatValue } from './format.js';

export interface TreeRow {
  path: string[];
  key: string;
  depth: number;
  value: unknown;
  leaf: boolean;
}

function isBranch(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
}

export function flattenConfig(config: Record<string, unknown>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (obj: Record<string, unknown>, parent: string[]): void => {
    for (const [key, value] of Object.entries(obj)) {
      const path = [...parent, key];
      const leaf = !isBranch(value);
      rows.push({ path, key, depth: parent.length, value, leaf });
      if (isBranch(value)) walk(value, path);
    }
  };
  walk(config, []);
  return rows;
}

/** Whether a row matches `q` (already lower-case): its dotted path, or a leaf's formatted value. */
function matches(row: TreeRow, q: string): boolean {
  if (row.path.join('.').toLowerCase().includes(q)) return true;
  return row.leaf && formatValue(row.value).toLowerCase().includes(q);
}

/**
 * The rows (from `flattenConfig`, in its order) that match `q` case-insensitively, with their ancestors.
 * A blank query returns every row.
 */
export function searchTree(rows: TreeRow[], q: string): TreeRow[] {
  const needle = q.trim().toLowerCase();
  if (needle === '') return rows;
  const out: TreeRow[] = [];
  // Ancestors of the current row, each with whether it is already in `out`.
  const stack: { row: TreeRow; shown: boolean }[] = [];
  for (const row of rows) {
    stack.length = Math.min(stack.length, row.depth);
    const hit = matches(row, needle);
    if (hit) {
      for (const a of stack) {
        if (!a.shown) out.push(a.row);
        a.shown = true;
      }
      out.push(row);
    }
    if (!row.leaf) stack.push({ row, shown: hit });
  }
  return out;
}
