/**
 * How the filter language sees a span (`spans`, clickhouse/0001) in the traces filter: `name`, `service`,
 * `status` (ok | error | unset), `duration` (milliseconds) and typed attributes, `attr.<key>` over the span's
 * five attribute maps and `resource.<key>` over its resource's. A comparison reads the map its literal's
 * type names: a string compares with `attributes_str`, a number with `attributes_int` (as Float64: exact up
 * to 2^53) or `attributes_float`, a boolean with `attributes_bool`; a key held in another map reads as
 * missing for that comparison. `= null` matches a key that is in no map (arrays and key-value lists count
 * as present). Attribute names reach SQL only as String parameters. String equality is written so the
 * skip index on attribute values (0016) applies.
 */
import type { AttributeScope } from '../filter/ast.js';
import { clickHouseDialect } from '../filter/compile-clickhouse.js';
import type { FilterTarget } from '../filter/target.js';

const MAPS: Record<AttributeScope, string> = { attr: 'attributes', resource: 'resource' };

function attribute(scope: AttributeScope, key: string, kind: 'string' | 'number' | 'boolean'): string {
  const m = MAPS[scope];
  switch (kind) {
    case 'string':
      return `if(mapContains(${m}_str, ${key}), ${m}_str[${key}], NULL)`;
    case 'number':
      return `multiIf(mapContains(${m}_int, ${key}), toFloat64(${m}_int[${key}]), mapContains(${m}_float, ${key}), ${m}_float[${key}], NULL)`;
    case 'boolean':
      return `if(mapContains(${m}_bool, ${key}), ${m}_bool[${key}], NULL)`;
  }
}

/**
 * `m[k] = v AND mapContains(m, k)`: the same truth as comparing the if(mapContains…) value, but a form the
 * bloom filter index over the values of attributes_str (clickhouse/0016) serves, so a rare value skips
 * the granules that cannot hold it.
 */
function attributeEquals(scope: AttributeScope, key: string, value: string): string {
  const m = `${MAPS[scope]}_str`;
  return `(${m}[${key}] = ${value} AND mapContains(${m}, ${key}))`;
}

function attributeIsNull(scope: AttributeScope, key: string): string {
  const m = MAPS[scope];
  return `(NOT (${['str', 'int', 'float', 'bool', 'json'].map((t) => `mapContains(${m}_${t}, ${key})`).join(' OR ')}))`;
}

/** The span status as the API spells it. */
export const SPAN_STATUS_SQL = "multiIf(status_code = 2, 'error', status_code = 1, 'ok', 'unset')";

/** The traces filter over rows of `spans` (unqualified column names). */
export const SPAN_FILTER_TARGET: FilterTarget = Object.freeze({
  dialect: clickHouseDialect,
  columns: Object.freeze({ name: 'name', service: 'service_name', status: SPAN_STATUS_SQL, duration: '(duration_ns / 1e6)' }),
  fields: Object.freeze(['name', 'service', 'status', 'duration', 'attr', 'resource'] as const),
  summary: () => {
    throw new TypeError('filter compile: spans have no metric summaries');
  },
  attribute,
  attributeIsNull,
  attributeEquals,
});
