/**
 * Collects the values of a compiled filter as typed parameters and hands back the placeholder that stands
 * for each in the SQL text. Placeholder syntax is the dialect's: `{f0:Float64}` for ClickHouse's
 * query_params, `$1::float8` for Postgres. Type names come from the dialect modules' own constants, never
 * from the filter text.
 */

export type ParamValue = string | number | boolean | readonly string[] | readonly number[];

export interface TypedParam {
  /** The database type of the value: a ClickHouse type (`String`, `Array(Float64)`) or a Postgres one (`text`, `numeric`). */
  readonly type: string;
  readonly value: ParamValue;
}

/** Parameterised SQL: `sql` holds placeholders only; every value is in `params`. */
export interface CompiledSql {
  readonly sql: string;
  /** ClickHouse: keyed by parameter name (`f0`). Postgres: keyed by position (`"1"` for `$1`). */
  readonly params: Readonly<Record<string, TypedParam>>;
}

export interface ParamSink {
  /** Registers a value and returns its placeholder. */
  add(type: string, value: ParamValue): string;
  readonly params: Record<string, TypedParam>;
}

const PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,30}$/;
const TYPE = /^[A-Za-z][A-Za-z0-9_(), [\]]*$/;

function checkType(type: string): string {
  if (!TYPE.test(type)) throw new TypeError(`invalid parameter type ${JSON.stringify(type)}`);
  return type;
}

/** ClickHouse `{<prefix><n>:<Type>}` placeholders. */
export function clickHouseSink(prefix: string): ParamSink {
  if (!PREFIX.test(prefix)) throw new TypeError(`invalid parameter prefix ${JSON.stringify(prefix)}`);
  const params: Record<string, TypedParam> = {};
  let next = 0;
  return {
    params,
    add(type, value) {
      const name = `${prefix}${next++}`;
      params[name] = { type: checkType(type), value };
      return `{${name}:${type}}`;
    },
  };
}

/** Postgres `$<n>::<type>` placeholders, numbered after the `offset` parameters the caller already uses. */
export function postgresSink(offset: number): ParamSink {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError(`invalid parameter offset ${offset}`);
  const params: Record<string, TypedParam> = {};
  let next = offset + 1;
  return {
    params,
    add(type, value) {
      const index = next++;
      params[String(index)] = { type: checkType(type), value };
      return `$${index}::${type}`;
    },
  };
}

/** The `query_params` object for @clickhouse/client (or storage's `Statement.params`). */
export function clickHouseQueryParams(compiled: CompiledSql): Record<string, ParamValue> {
  return Object.fromEntries(Object.entries(compiled.params).map(([name, p]) => [name, p.value]));
}

/**
 * The positional values for `pg`, in `$n` order, starting at the compile's `offset + 1`. Append them to the
 * caller's own values (of which there must be exactly `offset`).
 */
export function postgresValues(compiled: CompiledSql): ParamValue[] {
  return Object.entries(compiled.params)
    .map(([index, p]) => [Number(index), p.value] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, value]) => value);
}
