/**
 * Log bodies and attributes as stored (typed maps, OTLP/JSON AnyValue text) → plain JSON values for readers.
 *
 * The result is always JSON-safe, because it goes straight to API clients: 64-bit integers become numbers
 * when they fit a double exactly and decimal strings otherwise; NaN and ±Infinity become "NaN", "Infinity"
 * and "-Infinity" (the OTLP/JSON spelling); bytes stay base64 text; an AnyValue with nothing set is null.
 * Key-value lists become objects built with `Object.fromEntries`, so a key such as `__proto__` is data.
 */
import { float64 } from './values.js';

export type LogValue = string | number | boolean | null | readonly LogValue[] | { readonly [key: string]: LogValue };

/** A 64-bit integer (decimal text or a number) as a number when exact, else its decimal text. */
export function jsonInt(value: unknown): LogValue {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/** A double as a JSON value: finite numbers as they are, NaN/±Infinity by name. */
export function jsonFloat(value: number): LogValue {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonDouble(value: unknown): LogValue {
  if (typeof value === 'number') return jsonFloat(value);
  // protobufjs' JSON form and the receiver's writer spell non-finite doubles as strings.
  if (typeof value === 'string') return jsonFloat(Number(value));
  return null;
}

function listOf(value: unknown): unknown[] {
  return isRecord(value) && Array.isArray(value.values) ? value.values : [];
}

/** One OTLP/JSON AnyValue object (already parsed) as a plain JSON value. */
export function fromAnyValue(value: unknown): LogValue {
  if (!isRecord(value)) return null;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if ('intValue' in value) return jsonInt(value.intValue);
  if ('doubleValue' in value) return jsonDouble(value.doubleValue);
  if ('arrayValue' in value) return listOf(value.arrayValue).map(fromAnyValue);
  if ('kvlistValue' in value) {
    const entries = listOf(value.kvlistValue).map((kv): [string, LogValue] => (isRecord(kv) ? [typeof kv.key === 'string' ? kv.key : '', fromAnyValue(kv.value)] : ['', null]));
    return Object.fromEntries(entries);
  }
  if (typeof value.bytesValue === 'string') return value.bytesValue;
  return null;
}

/** OTLP/JSON AnyValue text as a plain JSON value; text that is not JSON is returned as it is. */
export function fromAnyValueText(text: string): LogValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return fromAnyValue(parsed);
}

/** A `logs.body` cell by its `body_type`: 0 empty → null, 1 string → verbatim, 2–7 → decoded AnyValue. */
export function decodeBody(bodyType: number, body: string): LogValue {
  if (bodyType === 0) return null;
  if (bodyType === 1) return body;
  return fromAnyValueText(body);
}

/** The five typed attribute maps of a row as JSONEachRow gives them (Int64 as text, NaN as "nan"). */
export interface AttributeMaps {
  readonly attributes_str: unknown;
  readonly attributes_int: unknown;
  readonly attributes_float: unknown;
  readonly attributes_bool: unknown;
  readonly attributes_json: unknown;
}

function mapEntries(map: unknown, column: string): [string, unknown][] {
  if (!isRecord(map)) throw new TypeError(`column ${column}: expected a Map, got ${JSON.stringify(map)}`);
  return Object.entries(map);
}

/**
 * The typed maps merged back into one object with each value in its own type. The receiver keeps one
 * value per key (the last sent), so a key is in one map only; were it in several, the later map wins.
 */
export function mergeAttributes(row: AttributeMaps): Record<string, LogValue> {
  const entries: [string, LogValue][] = [];
  for (const [k, v] of mapEntries(row.attributes_str, 'attributes_str')) entries.push([k, typeof v === 'string' ? v : String(v)]);
  for (const [k, v] of mapEntries(row.attributes_int, 'attributes_int')) entries.push([k, jsonInt(v)]);
  for (const [k, v] of mapEntries(row.attributes_float, 'attributes_float')) entries.push([k, jsonFloat(float64(v, `attributes_float[${k}]`))]);
  for (const [k, v] of mapEntries(row.attributes_bool, 'attributes_bool')) entries.push([k, v === true || v === 1]);
  for (const [k, v] of mapEntries(row.attributes_json, 'attributes_json')) entries.push([k, fromAnyValueText(String(v))]);
  return Object.fromEntries(entries);
}
