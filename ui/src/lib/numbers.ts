/**
 * Numbers as the query API sends them: JSON cannot carry NaN or ±Infinity, so those arrive as the strings
 * 'NaN', 'Infinity' and '-Infinity'. `toNumber` turns any of them back into a JS number.
 */

export type Num = number | 'NaN' | 'Infinity' | '-Infinity';

/** The JS number for an API number; NaN for null, undefined or anything that is not a `Num`. */
export function toNumber(v: Num | null | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/** Whether `v` is a `Num` (a JS number or one of the three special strings). */
export function isNum(v: unknown): v is Num {
  return typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
}
