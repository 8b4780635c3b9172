/**
 * Run colours. Tableau 10, a categorical palette designed to stay distinguishable for the common forms of
 * colour-vision deficiency. A run in a compare selection takes the colour of its position (the first ten
 * runs never share a colour); elsewhere a run's colour comes from an FNV-1a hash of its id, so it is the
 * same on every page and every reload.
 */

export const PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** 32-bit FNV-1a over the string's UTF-16 code units, as an unsigned integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour at `index` in the palette when given (a non-negative integer); else the id's hashed colour. */
export function runColor(runId: string, index?: number): string {
  const n = PALETTE.length;
  const i = index !== undefined && Number.isInteger(index) && index >= 0 ? index % n : fnv1a(runId) % n;
  return PALETTE[i] ?? '#4e79a7';
}
