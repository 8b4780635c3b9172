/**
 * Plain JavaScript values → OTel log AnyValues, so a run config (nested objects, arrays, numbers, Dates,
 * class instances with `toJSON`) travels as a lossless KvList the receiver turns back into JSON.
 */
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';

const MAX_DEPTH = 64;

/** `undefined` for what has no value (undefined, functions, symbols): map entries holding it are left out. */
export function toAnyValue(value: unknown, seen: Set<object> = new Set(), depth = 0): AnyValue {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      // The log API has no 64-bit integer type: beyond 2^53 a decimal string keeps every digit.
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null || typeof value !== 'object') return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value) || depth >= MAX_DEPTH) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => toAnyValue(item, seen, depth + 1) ?? null);
    if (value instanceof Map) return toAnyValueMap(Object.fromEntries(value as Map<unknown, unknown>) as Record<string, unknown>, seen, depth + 1);
    if (value instanceof Set) return [...value].map((item: unknown) => toAnyValue(item, seen, depth + 1) ?? null);
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return toAnyValue(withJson.toJSON(), seen, depth + 1);
    return toAnyValueMap(value as Record<string, unknown>, seen, depth + 1);
  } finally {
    seen.delete(value);
  }
}

export function toAnyValueMap(record: Record<string, unknown>, seen: Set<object> = new Set(), depth = 0): AnyValueMap {
  const out: AnyValueMap = {};
  for (const [key, item] of Object.entries(record)) {
    const converted = toAnyValue(item, seen, depth);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}
