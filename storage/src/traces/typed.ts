/**
 * Span attributes as readers want them, from what `spans` stores: the five typed maps as JSONEachRow
 * gives them (Int64 as decimal text, NaN/±Inf as "nan"/"inf") and OTLP/JSON KeyValue lists (events, links,
 * scope). Two shapes come out:
 * - `AttributeMaps`: one map per type with JS values (int64 as a number when exact, else decimal text), the
 *   input the query package's span normaliser reads;
 * - `TypedAttribute[]`: one entry per key with its OTLP type and a JSON-safe value (arrays and key-value
 *   lists decoded, bytes as base64, non-finite doubles by name), sorted by key, for the span detail view.
 */
import { fromAnyValue, jsonFloat, jsonInt } from '../clickhouse/queries/log-values.js';
import type { LogValue } from '../clickhouse/queries/log-values.js';
import { float64 } from '../clickhouse/queries/values.js';

export interface AttributeMaps {
  readonly str: Record<string, string>;
  /** int64 values; beyond 2^53 as decimal text. */
  readonly int: Record<string, number | string>;
  readonly float: Record<string, number>;
  readonly bool: Record<string, boolean>;
  /** Arrays, key-value lists and bytes as OTLP/JSON AnyValue text. */
  readonly json: Record<string, string>;
}

export type TypedAttributeType = 'string' | 'int' | 'double' | 'bool' | 'array' | 'kvlist' | 'bytes';

export interface TypedAttribute {
  readonly key: string;
  readonly type: TypedAttributeType;
  readonly value: LogValue;
}

/** The five map columns of a row, under a column prefix (`attributes` or `resource`). */
export type MapColumns<P extends string> = { readonly [K in `${P}_${'str' | 'int' | 'float' | 'bool' | 'json'}`]: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function entries(map: unknown, column: string): [string, unknown][] {
  if (!isRecord(map)) throw new TypeError(`column ${column}: expected a Map, got ${JSON.stringify(map)}`);
  return Object.entries(map);
}

function intValue(v: unknown): number | string {
  const n = jsonInt(v);
  return typeof n === 'number' || typeof n === 'string' ? n : String(v);
}

/** A row's maps under `prefix` as `AttributeMaps`. */
export function attributeMaps<P extends string>(row: MapColumns<P>, prefix: P): AttributeMaps {
  const col = (t: 'str' | 'int' | 'float' | 'bool' | 'json'): unknown => row[`${prefix}_${t}`];
  return {
    str: Object.fromEntries(entries(col('str'), `${prefix}_str`).map(([k, v]) => [k, String(v)])),
    int: Object.fromEntries(entries(col('int'), `${prefix}_int`).map(([k, v]) => [k, intValue(v)])),
    float: Object.fromEntries(entries(col('float'), `${prefix}_float`).map(([k, v]) => [k, float64(v, `${prefix}_float[${k}]`)])),
    bool: Object.fromEntries(entries(col('bool'), `${prefix}_bool`).map(([k, v]) => [k, v === true || v === 1])),
    json: Object.fromEntries(entries(col('json'), `${prefix}_json`).map(([k, v]) => [k, String(v)])),
  };
}

function jsonType(text: string): { type: TypedAttributeType; value: LogValue } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { type: 'string', value: text };
  }
  if (isRecord(parsed) && 'kvlistValue' in parsed) return { type: 'kvlist', value: fromAnyValue(parsed) };
  if (isRecord(parsed) && 'bytesValue' in parsed) return { type: 'bytes', value: fromAnyValue(parsed) };
  return { type: 'array', value: fromAnyValue(parsed) };
}

const byKey = (a: TypedAttribute, b: TypedAttribute): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** `AttributeMaps` as a key-sorted list of typed entries. */
export function typedAttributes(maps: AttributeMaps): TypedAttribute[] {
  const out: TypedAttribute[] = [];
  for (const [key, value] of Object.entries(maps.str)) out.push({ key, type: 'string', value });
  for (const [key, value] of Object.entries(maps.int)) out.push({ key, type: 'int', value });
  for (const [key, value] of Object.entries(maps.float)) out.push({ key, type: 'double', value: jsonFloat(value) });
  for (const [key, value] of Object.entries(maps.bool)) out.push({ key, type: 'bool', value });
  for (const [key, text] of Object.entries(maps.json)) out.push({ key, ...jsonType(text) });
  return out.sort(byKey);
}

const EMPTY = (): { str: Record<string, string>; int: Record<string, number | string>; float: Record<string, number>; bool: Record<string, boolean>; json: Record<string, string> } => ({
  str: {},
  int: {},
  float: {},
  bool: {},
  json: {},
});

function putValue(maps: ReturnType<typeof EMPTY>, key: string, value: Record<string, unknown>): void {
  if (typeof value.stringValue === 'string') maps.str[key] = value.stringValue;
  else if (typeof value.boolValue === 'boolean') maps.bool[key] = value.boolValue;
  else if ('intValue' in value) maps.int[key] = intValue(value.intValue);
  else if ('doubleValue' in value) maps.float[key] = typeof value.doubleValue === 'number' ? value.doubleValue : Number(value.doubleValue);
  else if ('arrayValue' in value || 'kvlistValue' in value || 'bytesValue' in value) maps.json[key] = JSON.stringify(value);
}

/**
 * OTLP/JSON KeyValue list text (`[{"key":…,"value":{…}}]`, as the receiver stores event, link and scope
 * attributes) as `AttributeMaps`. Text that is not such a list reads as no attributes.
 */
export function keyValueMaps(text: string): AttributeMaps {
  const maps = EMPTY();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return maps;
  }
  if (!Array.isArray(parsed)) return maps;
  for (const kv of parsed) {
    if (!isRecord(kv) || typeof kv.key !== 'string' || !isRecord(kv.value)) continue;
    // A key sent twice keeps its last value, whatever its type (as the receiver does for span attributes).
    for (const map of Object.values(maps)) delete map[kv.key];
    putValue(maps, kv.key, kv.value);
  }
  return maps;
}
