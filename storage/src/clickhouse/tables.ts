/**
 * The column allow-list of every table the receiver writes: names and types exactly as `DESCRIBE TABLE`
 * reports them after the migrations ran (Nested columns flattened to `parent.child Array(T)`; MATERIALIZED
 * columns such as `spans.duration_ns` left out, they are never inserted). The RowBinary encoders write
 * columns in this order and the insert statements name them from here, so no identifier ever comes from
 * a caller. test/tables.int.test.ts checks this list against the migrated schema.
 */
import type { TableName } from '../rows.js';

export interface Column {
  readonly name: string;
  readonly type: string;
}

const col = (name: string, type: string): Column => ({ name, type });

const STR = 'String';
const LC = 'LowCardinality(String)';
const DT = 'DateTime64(9)';

const owner = (...middle: readonly Column[]): readonly Column[] => [col('project', LC), col('run_id', STR), ...middle];

const typedMaps = (prefix: string): readonly Column[] => [
  col(`${prefix}_str`, `Map(${LC}, String)`),
  col(`${prefix}_int`, `Map(${LC}, Int64)`),
  col(`${prefix}_float`, `Map(${LC}, Float64)`),
  col(`${prefix}_bool`, `Map(${LC}, Bool)`),
  col(`${prefix}_json`, `Map(${LC}, String)`),
];

const resourceAndScope: readonly Column[] = [
  ...typedMaps('resource'),
  col('resource_dropped_attributes_count', 'UInt32'),
  col('resource_schema_url', LC),
  col('scope_name', LC),
  col('scope_version', LC),
  col('scope_attributes', STR),
  col('scope_dropped_attributes_count', 'UInt32'),
  col('scope_schema_url', LC),
];

const nested = (parent: string, children: readonly Column[]): readonly Column[] =>
  children.map((c) => col(`${parent}.${c.name}`, `Array(${c.type})`));

const spans: readonly Column[] = [
  ...owner(col('timestamp', DT), col('end_timestamp', DT)),
  col('trace_id', STR),
  col('span_id', STR),
  col('parent_span_id', STR),
  col('trace_state', STR),
  col('flags', 'UInt32'),
  col('name', LC),
  col('kind', 'UInt8'),
  col('service_name', LC),
  col('status_code', 'UInt8'),
  col('status_message', STR),
  ...typedMaps('attributes'),
  col('dropped_attributes_count', 'UInt32'),
  ...nested('events', [col('timestamp', DT), col('name', LC), col('attributes', STR), col('dropped_attributes_count', 'UInt32')]),
  col('dropped_events_count', 'UInt32'),
  ...nested('links', [
    col('trace_id', STR),
    col('span_id', STR),
    col('trace_state', STR),
    col('attributes', STR),
    col('dropped_attributes_count', 'UInt32'),
    col('flags', 'UInt32'),
  ]),
  col('dropped_links_count', 'UInt32'),
  ...resourceAndScope,
];

const logs: readonly Column[] = [
  ...owner(col('timestamp', DT), col('observed_timestamp', DT)),
  col('trace_id', STR),
  col('span_id', STR),
  col('flags', 'UInt32'),
  col('severity_number', 'UInt8'),
  col('severity_text', LC),
  col('event_name', LC),
  col('service_name', LC),
  col('body_type', 'UInt8'),
  col('body', STR),
  ...typedMaps('attributes'),
  col('dropped_attributes_count', 'UInt32'),
  ...resourceAndScope,
];

const metricPoints: readonly Column[] = [
  ...owner(col('key', LC), col('labels', STR)),
  col('step', 'Int64'),
  col('time', DT),
  col('value', 'Float64'),
  col('source', 'UInt8'),
];

const metricBase: readonly Column[] = [
  ...owner(col('metric_name', LC), col('metric_description', STR), col('metric_unit', LC), col('metric_metadata', STR)),
  col('service_name', LC),
  col('start_time', DT),
  col('time', DT),
  col('flags', 'UInt32'),
  ...typedMaps('attributes'),
  ...resourceAndScope,
  ...nested('exemplars', [
    col('time', DT),
    col('value_type', 'UInt8'),
    col('value_double', 'Float64'),
    col('value_int', 'Int64'),
    col('trace_id', STR),
    col('span_id', STR),
    col('filtered_attributes', STR),
  ]),
];

const optionalStats: readonly Column[] = [
  col('sum', 'Float64'),
  col('has_sum', 'Bool'),
  col('min', 'Float64'),
  col('has_min', 'Bool'),
  col('max', 'Float64'),
  col('has_max', 'Bool'),
];

const runs: readonly Column[] = [
  col('project', LC),
  col('id', STR),
  col('name', STR),
  col('group', STR),
  col('status', LC),
  col('tags', 'Array(String)'),
  col('notes', STR),
  col('config', STR),
  col('config_kinds', 'Map(String, LowCardinality(String))'),
  col('config_num', 'Map(String, Float64)'),
  col('config_str', 'Map(String, String)'),
  col('config_bool', 'Map(String, Bool)'),
  col('created', 'DateTime64(3)'),
  col('started_ms', 'Int64'),
  col('ended_ms', 'Int64'),
  col('last_seen_ms', 'Int64'),
  col('exit_code', 'Int64'),
  col('has_exit_code', 'Bool'),
  col('summary_last', 'Map(String, Float64)'),
  col('summary_min', 'Map(String, Float64)'),
  col('summary_max', 'Map(String, Float64)'),
  col('revision', 'UInt64'),
  col('deleted', 'UInt8'),
];

/** Inserted columns per table, in insert order. */
export const TABLES: { readonly [T in TableName]: readonly Column[] } = {
  spans,
  logs,
  metric_points: metricPoints,
  metrics_number: [
    ...metricBase,
    col('metric_type', 'UInt8'),
    col('aggregation_temporality', 'UInt8'),
    col('is_monotonic', 'Bool'),
    col('value_type', 'UInt8'),
    col('value_double', 'Float64'),
    col('value_int', 'Int64'),
  ],
  metrics_histogram: [
    ...metricBase,
    col('aggregation_temporality', 'UInt8'),
    col('count', 'UInt64'),
    ...optionalStats,
    col('bucket_counts', 'Array(UInt64)'),
    col('explicit_bounds', 'Array(Float64)'),
  ],
  metrics_exp_histogram: [
    ...metricBase,
    col('aggregation_temporality', 'UInt8'),
    col('count', 'UInt64'),
    ...optionalStats,
    col('scale', 'Int32'),
    col('zero_count', 'UInt64'),
    col('zero_threshold', 'Float64'),
    col('positive_offset', 'Int32'),
    col('positive_bucket_counts', 'Array(UInt64)'),
    col('negative_offset', 'Int32'),
    col('negative_bucket_counts', 'Array(UInt64)'),
  ],
  metrics_summary: [
    ...metricBase,
    col('count', 'UInt64'),
    col('sum', 'Float64'),
    col('quantiles', 'Array(Float64)'),
    col('quantile_values', 'Array(Float64)'),
  ],
  runs,
  record_ids: [col('project', LC), col('record_id', STR), col('received_at', 'DateTime')],
};

export function isTableName(name: string): name is TableName {
  return Object.hasOwn(TABLES, name);
}

const quote = (name: string): string => `\`${name}\``;

/** `(\`a\`, \`b\`, ...)` for `INSERT INTO t <columns>`. */
export function insertColumnList(table: TableName): string {
  return `(${TABLES[table].map((c) => quote(c.name)).join(', ')})`;
}

/**
 * The structure argument of `file(path, 'RowBinary', structure)`. LowCardinality(String) is read as plain
 * String (same RowBinary bytes) and converted by the INSERT: parsing row by row into LowCardinality
 * dictionaries made reading the file 3-6x slower for span batches.
 */
export function rowBinaryStructure(table: TableName): string {
  return TABLES[table].map((c) => `${quote(c.name)} ${c.type.replaceAll('LowCardinality(String)', 'String')}`).join(', ');
}
