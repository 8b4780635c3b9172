/**
 * One set of value conversions for both drivers, so PGlite and `pg` agree value for value.
 *
 * Parameters are turned into Postgres text here (or NULL) before either driver sees them; Postgres parses
 * that text as the type the statement gives the parameter. Results are parsed from Postgres' text output by
 * the same functions in both drivers (pg's `types.getTypeParser`, PGlite's `parsers`):
 *
 * | Postgres type                    | JS value                                                          |
 * |----------------------------------|-------------------------------------------------------------------|
 * | int2, int4, oid, float4, float8  | number (NaN, ±Infinity included)                                  |
 * | int8, numeric                    | string (exact; `BigInt(v)` / a decimal library when needed)       |
 * | bool                             | boolean                                                           |
 * | json, jsonb                      | parsed JSON (numbers beyond 2^53 lose precision, as in JSON.parse)|
 * | timestamptz                      | ISO-8601 UTC text, always 6 fractional digits: `2026-01-02T03:04:05.123456Z` (exact, sorts as text) |
 * | timestamp                        | the same without `Z`                                              |
 * | date                             | `YYYY-MM-DD`                                                      |
 * | arrays of the above              | arrays of the same (NULL elements as null)                        |
 * | anything else (bytea, interval…) | Postgres' text output, unparsed                                   |
 *
 * Infinite timestamps come back as `infinity` / `-infinity`, BC dates as Postgres prints them.
 */
import { types as pgliteTypes } from '@electric-sql/pglite';

/** A scalar parameter value. JSON goes as text: `JSON.stringify(value)` bound to `$n::jsonb`. */
export type PgScalar = string | number | bigint | boolean | Date | null;
/** A parameter: a scalar or a one-dimensional array (for `text[]`, `int8[]`, `= ANY($n)`). */
export type PgParam = PgScalar | readonly PgScalar[];

type Parser = (text: string) => unknown;

function scalarText(value: unknown, where: string): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError(`${where} is an invalid Date`);
        return value.toISOString();
      }
      throw new TypeError(
        `${where} is ${value === undefined ? 'undefined' : typeof value}: pass strings, numbers, bigints, booleans, Dates, null ` +
          'or flat arrays of them (JSON as JSON.stringify(value) with $n::jsonb)',
      );
  }
}

function arrayElement(value: unknown, where: string): string {
  if (Array.isArray(value)) throw new TypeError(`${where} is a nested array: only one-dimensional arrays are supported`);
  const text = scalarText(value, where);
  return text === null ? 'NULL' : `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Turns the parameters of one statement into Postgres text; `label` names the statement in errors. */
export function serializeParams(params: readonly PgParam[], label: string): Array<string | null> {
  return params.map((value, i) => {
    const where = `${label}: parameter $${i + 1}`;
    if (Array.isArray(value)) return `{${value.map((v: unknown, j) => arrayElement(v, `${where}[${j}]`)).join(',')}}`;
    return scalarText(value, where);
  });
}

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-]\d\d(?::?\d\d){0,2})?$/;

function offsetSeconds(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h = '0', m = '0', s = '0'] = offset.slice(1).split(':');
  return sign * (Number(h) * 3600 + Number(m) * 60 + Number(s));
}

/** `2026-01-02 03:04:05.1234+00` (TimeZone may be anything) → `2026-01-02T03:04:05.123400Z`. */
export function parseTimestamptz(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (m === null) return text;
  const [, y, mo, d, h, mi, s, frac = '', offset] = m;
  const fraction = frac.padEnd(6, '0');
  if (offset === undefined) return `${y}-${mo}-${d}T${h}:${mi}:${s}.${fraction}`;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s) - offsetSeconds(offset), 0);
  return `${date.toISOString().replace(/\.\d{3}Z$/, '')}.${fraction}Z`;
}

const identity: Parser = (text) => text;
const toNumber: Parser = (text) => Number(text);

/** Scalar type OID → [array type OID, parser]. */
const SCALARS: ReadonlyArray<readonly [number, number, Parser]> = [
  [16, 1000, (text) => text === 't'], // bool
  [17, 1001, identity], // bytea (hex text)
  [20, 1016, identity], // int8
  [21, 1005, toNumber], // int2
  [23, 1007, toNumber], // int4
  [25, 1009, identity], // text
  [26, 1028, toNumber], // oid
  [114, 199, (text) => JSON.parse(text) as unknown], // json
  [700, 1021, toNumber], // float4
  [701, 1022, toNumber], // float8
  [1042, 1014, identity], // bpchar
  [1043, 1015, identity], // varchar
  [1082, 1182, identity], // date
  [1114, 1115, parseTimestamptz], // timestamp (no offset in the text, so no Z)
  [1184, 1185, parseTimestamptz], // timestamptz
  [1700, 1231, identity], // numeric
  [3802, 3807, (text) => JSON.parse(text) as unknown], // jsonb
];

function buildParsers(): Readonly<Record<number, Parser>> {
  const parsers: Record<number, Parser> = {};
  for (const [oid, arrayOid, parse] of SCALARS) {
    parsers[oid] = parse;
    parsers[arrayOid] = (text) => pgliteTypes.arrayParser(text, parse, arrayOid) as unknown;
  }
  return Object.freeze(parsers);
}

/** Result parsers by type OID, shared by both drivers. */
export const PARSERS = buildParsers();

/** The parser for a type OID; types without one come back as Postgres' text. */
export function parserFor(oid: number): Parser {
  return PARSERS[oid] ?? identity;
}

/** PGlite serializers that leave our already-serialized text alone (its own bool/bytea ones would not). */
export const PGLITE_SERIALIZERS: Readonly<Record<number, (value: unknown) => string>> = Object.freeze({
  16: (value: unknown) => String(value),
  17: (value: unknown) => String(value),
});

/** Session settings both drivers run with, so text output (and so parsing) is the same. */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  TimeZone: 'UTC',
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  extra_float_digits: '1',
});
