/**
 * Decoding what storage keeps as text back into plain values: OTLP/JSON AnyValue text (the `attributes_json`
 * map: arrays, key-value lists, bytes) and OTLP/JSON KeyValue lists (span event and link attributes).
 * Total functions: odd input gives `undefined` or an empty result, never a throw.
 */
import type { SpanAttributes } from './types.js';

/** Nesting deeper than this is cut off (`null`): decoding recurses, and a hostile value must not overflow the stack. */
export const MAX_DEPTH = 64;

export type JsonParse = { ok: true; value: unknown } | { ok: false };

/** Whether `value` nests arrays/objects deeper than `max` levels (iterative: any depth is safe to ask). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON text parsed, when it parses and nests at most MAX_DEPTH levels: deeper values (`[[[[…]]]]` from a
 * hostile sender) would overflow the stack of whatever walks them next — the response serializer — so they
 * count as not JSON and stay text.
 */
export function parseJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { ok: false };
  }
  return deeperThan(value, MAX_DEPTH) ? { ok: false } : { ok: true, value };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` for own properties only (so "constructor" or "__proto__" never reach the prototype). */
export function own(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function int64(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

function double(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) && value !== 'NaN' ? undefined : n;
  }
  return undefined;
}

function values(container: unknown): unknown[] {
  const list = own(container, 'values');
  return Array.isArray(list) ? list : [];
}

/**
 * A parsed OTLP/JSON AnyValue as a plain value: arrays as arrays, key-value lists as objects, ints as
 * numbers (decimal strings beyond 2^53), bytes as their base64 text; `null` for an empty AnyValue.
 */
export function decodeAnyValue(value: unknown, depth = 0): unknown {
  if (!isRecord(value) || depth > MAX_DEPTH) return null;
  if (Object.hasOwn(value, 'stringValue')) return typeof value.stringValue === 'string' ? value.stringValue : null;
  if (Object.hasOwn(value, 'intValue')) return int64(value.intValue) ?? null;
  if (Object.hasOwn(value, 'doubleValue')) return double(value.doubleValue) ?? null;
  if (Object.hasOwn(value, 'boolValue')) return value.boolValue === true;
  if (Object.hasOwn(value, 'bytesValue')) return typeof value.bytesValue === 'string' ? value.bytesValue : null;
  if (Object.hasOwn(value, 'arrayValue')) return values(value.arrayValue).map((v) => decodeAnyValue(v, depth + 1));
  if (Object.hasOwn(value, 'kvlistValue')) {
    const out: Record<string, unknown> = {};
    for (const kv of values(value.kvlistValue)) {
      const key = own(kv, 'key');
      if (typeof key === 'string') Object.defineProperty(out, key, { value: decodeAnyValue(own(kv, 'value'), depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return null;
}

/** OTLP/JSON AnyValue text as a plain value; `undefined` when it is not JSON. */
export function decodeAnyValueJson(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? decodeAnyValue(parsed.value) : undefined;
}

export function emptyAttributes(): SpanAttributes {
  return { str: {}, int: {}, float: {}, bool: {}, json: {} };
}

/**
 * An OTLP/JSON KeyValue list (how storage keeps event, link and scope attributes, e.g.
 * `[{"key":"content","value":{"stringValue":"hi"}}]`) as typed maps, the same shape as a span's own.
 * Text that is not such a list gives empty maps.
 */
export function attributesFromOtlpJson(text: string): SpanAttributes {
  const out = emptyAttributes();
  const parsed = parseJson(text);
  if (!parsed.ok || !Array.isArray(parsed.value)) return out;
  for (const kv of parsed.value) {
    const key = own(kv, 'key');
    const value = own(kv, 'value');
    if (typeof key !== 'string' || !isRecord(value)) continue;
    setTyped(out, key, value);
  }
  return out;
}

function setTyped(out: SpanAttributes, key: string, value: Record<string, unknown>): void {
  const put = <T>(map: Record<string, T>, v: T): void => {
    Object.defineProperty(map, key, { value: v, enumerable: true, writable: true, configurable: true });
  };
  const decoded = decodeAnyValue(value);
  if (Object.hasOwn(value, 'stringValue') && typeof decoded === 'string') put(out.str, decoded);
  else if (Object.hasOwn(value, 'intValue') && (typeof decoded === 'number' || typeof decoded === 'string')) put(out.int, decoded);
  else if (Object.hasOwn(value, 'doubleValue') && typeof decoded === 'number') put(out.float, decoded);
  else if (Object.hasOwn(value, 'boolValue')) put(out.bool, decoded === true);
  else put(out.json, JSON.stringify(value));
}
