/**
 * Conversions from decoded OTLP values to storage values: 64-bit integers, ids, attributes.
 * Pure and allocation-light: they run once per attribute on the ingest hot path.
 */
import type { IAnyValue, IKeyValue } from '@mlrun/proto';
import { AnyValue } from '@mlrun/proto';
import type { AttributeSet, AttributeValue, JsonValue } from '@mlrun/storage';

/** What protobufjs yields for 64-bit fields: a Long (with `long` installed), or a number/string (JSON). */
export interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}
export type Int64Input = LongLike | number | string | null | undefined;

const TWO_32 = 4294967296;

/** A 64-bit protobuf value as bigint, exactly. Unsigned values keep their magnitude. */
export function toBigInt(value: Int64Input): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  const { low, high, unsigned } = value;
  // Fast path: fits in a double's 53-bit mantissa.
  if (high >= 0 && high < 0x200000) return BigInt(high * TWO_32 + (low >>> 0));
  const big = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return unsigned ? big : BigInt.asIntN(64, big);
}

/** Nanosecond timestamps: fixed64 on the wire, Int64 (DateTime64(9)) in ClickHouse. */
export function toNanos(value: Int64Input): bigint {
  return BigInt.asIntN(64, toBigInt(value));
}

/** A 64-bit value as a double (metric values from `as_int`, steps). */
export function toNumber(value: Int64Input): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return value.unsigned ? (value.high >>> 0) * TWO_32 + (value.low >>> 0) : value.high * TWO_32 + (value.low >>> 0);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number] as string;
  return out;
}

function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * An OTLP id as lowercase hex: '' when absent (empty or all zero), `undefined` when its length is wrong.
 * `size` is 16 for trace ids and 8 for span ids.
 */
export function idToHex(bytes: Uint8Array | null | undefined, size: 8 | 16): string | undefined {
  if (!bytes || bytes.length === 0) return '';
  if (bytes.length !== size) return undefined;
  return isAllZero(bytes) ? '' : hex(bytes);
}

const EMPTY_KEYS: readonly string[] = Object.freeze([]);
const EMPTY_VALUES: readonly AttributeValue[] = Object.freeze([]);
export const EMPTY_ATTRIBUTES: AttributeSet = Object.freeze({ keys: EMPTY_KEYS, values: EMPTY_VALUES });

/**
 * The OTLP/JSON text of an AnyValue, e.g. `{"intValue":"5"}` or
 * `{"arrayValue":{"values":[{"stringValue":"a"}]}}`. Scalars are written directly (this runs for every
 * event and link attribute); nested values and bytes go through protobufjs' proto3 JSON conversion.
 */
export function anyValueJson(value: IAnyValue): string {
  switch (anyValueCase(value)) {
    case 'stringValue':
      return `{"stringValue":${JSON.stringify(value.stringValue)}}`;
    case 'intValue':
      return `{"intValue":"${toBigInt(value.intValue)}"}`;
    case 'doubleValue': {
      const d = value.doubleValue as number;
      return Number.isFinite(d) ? `{"doubleValue":${d}}` : `{"doubleValue":"${d}"}`;
    }
    case 'boolValue':
      return `{"boolValue":${value.boolValue === true}}`;
    case undefined:
      return '{}';
    default:
      return JSON.stringify(AnyValue.toObject(value as AnyValue, JSON_OPTIONS));
  }
}

/** The OTLP/JSON text of a KeyValue list (`[]` when empty); lossless: ints as strings, NaN as "NaN". */
export function keyValuesJson(list: readonly IKeyValue[] | null | undefined): string {
  if (!list || list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as IKeyValue;
    if (i > 0) out += ',';
    out += `{"key":${JSON.stringify(kv.key ?? '')},"value":${kv.value ? anyValueJson(kv.value) : '{}'}}`;
  }
  return `${out}]`;
}

const JSON_OPTIONS = { longs: String, enums: Number, bytes: String, json: true } as const;

/** One attribute value in storage terms; `undefined` for an AnyValue with no value set. */
export function toAttributeValue(value: IAnyValue | null | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  switch (anyValueCase(value)) {
    case 'stringValue':
      return value.stringValue as string;
    case 'intValue':
      return toBigInt(value.intValue);
    case 'doubleValue':
      return value.doubleValue as number;
    case 'boolValue':
      return value.boolValue === true;
    case 'arrayValue':
    case 'kvlistValue':
    case 'bytesValue': {
      const json: JsonValue = { json: anyValueJson(value) };
      return json;
    }
    default:
      return undefined;
  }
}

const CASES = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;
export type AnyValueCase = (typeof CASES)[number];

/**
 * Which member of AnyValue's `value` oneof is set. Decoded protobufjs messages carry unset members as
 * null (on the prototype), so checking the fields directly is exact and allocation-free — unlike the
 * generated `.value` getter, which scans Object.keys on every call.
 */
export function anyValueCase(value: IAnyValue): AnyValueCase | undefined {
  for (const name of CASES) if (value[name] !== null && value[name] !== undefined) return name;
  return undefined;
}

/** An attribute whose AnyValue has nothing set: kept, as the empty OTLP/JSON AnyValue. */
const NO_VALUE: JsonValue = Object.freeze({ json: '{}' });

/** A KeyValue list as typed parallel arrays. */
export function toAttributeSet(list: readonly IKeyValue[] | null | undefined): AttributeSet {
  if (!list || list.length === 0) return EMPTY_ATTRIBUTES;
  const keys: string[] = new Array<string>(list.length);
  const values: AttributeValue[] = new Array<AttributeValue>(list.length);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as IKeyValue;
    keys[i] = kv.key ?? '';
    values[i] = toAttributeValue(kv.value) ?? NO_VALUE;
  }
  return { keys, values };
}

/** The string value of attribute `key`, if it is a string (or an int, rendered in decimal). */
export function stringAttribute(list: readonly IKeyValue[] | null | undefined, key: string): string | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const kv = list[i] as IKeyValue;
    if (kv.key !== key) continue;
    const value = toAttributeValue(kv.value);
    if (typeof value === 'string') return value;
    if (typeof value === 'bigint') return value.toString();
    return undefined;
  }
  return undefined;
}
