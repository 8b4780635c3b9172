/**
 * Query parameter values for `{name:Type}` placeholders, normalised so that embedded chDB and a ClickHouse
 * server bind them identically. The two bindings disagree on their own: chDB refuses NaN/±Inf and integers
 * past 2^53 and renders booleans as `true`, the HTTP client renders them as `1` and numbers with `String()`.
 * Top-level numbers and booleans are therefore sent as the text ClickHouse parses for the declared type
 * (`nan`, `-inf`, `1e+300`, `1`), which both bindings pass through untouched. Arrays go through the
 * clients' own literal formatting, restricted to values both handle the same way.
 */

export type QueryParamValue = string | number | bigint | boolean | readonly QueryParamValue[];
export type QueryParams = Readonly<Record<string, QueryParamValue>>;

type BoundValue = string | bigint | readonly BoundElement[];
type BoundElement = string | number | bigint | boolean | readonly BoundElement[];

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function numberText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

function element(name: string, v: QueryParamValue): BoundElement {
  if (Array.isArray(v)) return v.map((x: QueryParamValue) => element(name, x));
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`query param ${name}: NaN/Infinity inside an array is not supported`);
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
      throw new TypeError(`query param ${name}: integer ${v} inside an array is past 2^53, pass a bigint`);
    }
  }
  return v;
}

function bind(name: string, v: QueryParamValue): BoundValue {
  switch (typeof v) {
    case 'string':
    case 'bigint':
      return v;
    case 'number':
      return numberText(v);
    case 'boolean':
      return v ? '1' : '0';
    default:
      if (Array.isArray(v)) return v.map((x: QueryParamValue) => element(name, x));
      throw new TypeError(`query param ${name}: unsupported value ${String(v)}`);
  }
}

/** Validated, normalised `query_params` for @clickhouse/client (both connections). */
export function bindParams(params: QueryParams | undefined): Record<string, BoundValue> | undefined {
  if (params === undefined) return undefined;
  const out: Record<string, BoundValue> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!PARAM_NAME.test(name)) throw new TypeError(`invalid query param name ${JSON.stringify(name)}`);
    out[name] = bind(name, value);
  }
  return out;
}
