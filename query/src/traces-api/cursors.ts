/**
 * Opaque cursors of the traces API: base64url of `{v, t, k}` — a format version, the list it belongs to
 * and the keyset of the last item (a nanosecond time as decimal text and an id). Trace lists are one order
 * (newest first), so a trace cursor is a position in it whatever the filters; a children cursor names the
 * span whose children it pages and is refused for another. Anything edited or foreign is a 400 naming
 * the `cursor` parameter.
 */
import type { ChildCursor, SessionCursor, TraceCursor } from '@mlrun/storage';
import { filterSyntax } from '../errors.js';

const VERSION = 1;
const MAX_LENGTH = 1024;
const NOT_OURS = 'not a cursor returned by this API';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function encode(list: string, time: bigint, id: string): string {
  return Buffer.from(JSON.stringify({ v: VERSION, t: list, k: [time.toString(), id] })).toString('base64url');
}

/** The cursor's (time, id), or a 400. */
function decode(list: string, cursor: string): [bigint, string] {
  let parsed: unknown;
  try {
    if (cursor.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error(NOT_OURS);
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw filterSyntax({ parameter: 'cursor' }, NOT_OURS);
  }
  const c = parsed as { v?: unknown; t?: unknown; k?: unknown };
  const k: unknown[] = Array.isArray(c.k) ? c.k : [];
  const [time, id] = k;
  if (c.v !== VERSION || k.length !== 2 || typeof time !== 'string' || !/^-?\d{1,19}$/.test(time) || typeof id !== 'string') {
    throw filterSyntax({ parameter: 'cursor' }, NOT_OURS);
  }
  const t = BigInt(time);
  // Times are Int64 nanoseconds: anything wider was not written by encode().
  if (t < INT64_MIN || t > INT64_MAX) throw filterSyntax({ parameter: 'cursor' }, NOT_OURS);
  if (c.t !== list) throw filterSyntax({ parameter: 'cursor' }, 'the cursor belongs to another list; start again without a cursor');
  return [t, id];
}

export const encodeTraceCursor = (c: TraceCursor): string => encode('traces', c.startNs, c.traceId);
export function decodeTraceCursor(cursor: string): TraceCursor {
  const [startNs, traceId] = decode('traces', cursor);
  return { startNs, traceId };
}

export const encodeSessionCursor = (c: SessionCursor): string => encode('sessions', c.lastNs, c.sessionId);
export function decodeSessionCursor(cursor: string): SessionCursor {
  const [lastNs, sessionId] = decode('sessions', cursor);
  return { lastNs, sessionId };
}

/** Children cursors name their trace and parent span. */
export const encodeChildCursor = (traceId: string, parent: string, c: ChildCursor): string => encode(`children:${traceId}/${parent}`, c.startNs, c.spanId);
export function decodeChildCursor(traceId: string, parent: string, cursor: string): ChildCursor {
  const [startNs, spanId] = decode(`children:${traceId}/${parent}`, cursor);
  return { startNs, spanId };
}
