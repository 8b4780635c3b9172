/**
 * Opaque run-list cursors: base64url of `{v, s, k}` — a format version, a fingerprint of the sort the
 * page was read with, and the keyset values storage returned. A cursor is only valid with the same sort:
 * anything else (edited, truncated, from another sort) is a 400 naming the `cursor` parameter.
 */
import { createHash } from 'node:crypto';
import type { CursorValue } from '@mlrun/storage';

const VERSION = 1;
const MAX_CURSOR_LENGTH = 8192;

export type CursorResult = { readonly ok: true; readonly values: readonly CursorValue[] } | { readonly ok: false; readonly message: string };

function fingerprint(sort: string): string {
  return createHash('sha256').update(sort).digest('base64url').slice(0, 12);
}

export function encodeCursor(sort: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify({ v: VERSION, s: fingerprint(sort), k: values })).toString('base64url');
}

const isValue = (v: unknown): v is CursorValue => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function decodeCursor(sort: string, cursor: string): CursorResult {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return { ok: false, message: 'not a cursor returned by this API' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'not a cursor returned by this API' };
  }
  const c = parsed as { v?: unknown; s?: unknown; k?: unknown };
  if (typeof parsed !== 'object' || parsed === null || c.v !== VERSION || !Array.isArray(c.k) || !c.k.every(isValue)) {
    return { ok: false, message: 'not a cursor returned by this API' };
  }
  if (c.s !== fingerprint(sort)) return { ok: false, message: 'the cursor belongs to another sort order; start again without a cursor' };
  return { ok: true, values: c.k };
}
