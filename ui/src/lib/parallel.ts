/**
 * Axes of a parallel-coordinates plot over runs. A key whose present values are all numbers (the API's
 * 'NaN' / '±Infinity' strings included) is a numeric axis over the finite values' [min, max], widened a
 * little when they are all equal so the runs sit in the middle; any other key is a categorical axis over its
 * distinct values, sorted naturally ('2' before '10'). `position` places a value on its axis in 0..1.
 */
import { isNum, toNumber } from './numbers.js';

export interface Axis {
  key: string;
  kind: 'number' | 'category';
  domain: [number, number] | string[];
}

const present = (v: unknown): boolean => v !== null && v !== undefined;

/** A category's label: strings as they are, other values as JSON (numbers, booleans, arrays, objects). */
export function categoryOf(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function buildAxis(rows: Record<string, unknown>[], key: string): Axis {
  const values = rows.map((r) => r[key]).filter(present);
  if (values.length > 0 && values.every(isNum)) {
    const finite = values.map((v) => toNumber(v)).filter((v) => Number.isFinite(v));
    if (finite.length === 0) return { key, kind: 'number', domain: [0, 1] };
    let lo = finite.reduce((a, b) => Math.min(a, b));
    let hi = finite.reduce((a, b) => Math.max(a, b));
    if (lo === hi) {
      const pad = lo === 0 ? 1 : Math.abs(lo) * 0.01;
      lo -= pad;
      hi += pad;
    }
    return { key, kind: 'number', domain: [lo, hi] };
  }
  const cats = [...new Set(values.map(categoryOf))].sort((a, b) => natural.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
  return { key, kind: 'category', domain: cats };
}

export function buildAxes(rows: Record<string, unknown>[], keys: string[]): Axis[] {
  return keys.map((key) => buildAxis(rows, key));
}

/** Where `v` sits on the axis, 0 (bottom) to 1 (top); null for a missing, non-finite or unknown value. */
export function position(axis: Axis, v: unknown): number | null {
  if (!present(v)) return null;
  if (axis.kind === 'number') {
    const [lo = 0, hi = 1] = axis.domain as [number, number];
    const n = isNum(v) ? toNumber(v) : NaN;
    if (!Number.isFinite(n)) return null;
    if (!(hi > lo)) return 0.5;
    return Math.min(1, Math.max(0, (n - lo) / (hi - lo)));
  }
  const cats = axis.domain as string[];
  const i = cats.indexOf(categoryOf(v));
  if (i < 0) return null;
  return cats.length === 1 ? 0.5 : i / (cats.length - 1);
}
