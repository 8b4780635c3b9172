/**
 * Row shapes of the ClickHouse tables (storage/migrations/clickhouse), as the receiver produces them and
 * the table writers encode them. They are plain data in storage's own terms: nothing here knows OTLP.
 *
 * Conventions:
 * - Timestamps are nanoseconds since the Unix epoch as `bigint` (DateTime64(9) stores exactly that).
 * - Int64 values are `bigint`; Float64 values are `number` (NaN and ±Infinity allowed).
 * - Resource and scope objects are shared by every row of one OTLP resource/scope block; writers may cache
 *   their encoded bytes, so treat a value as immutable once it is in a row.
 */

/** A complex attribute value (array, key-value list or bytes) kept as its OTLP/JSON AnyValue text. */
export interface JsonValue {
  readonly json: string;
}

/**
 * One attribute value. The JavaScript type decides the typed map it lands in:
 * string → `*_str`, bigint → `*_int`, number → `*_float`, boolean → `*_bool`, JsonValue → `*_json`.
 */
export type AttributeValue = string | bigint | number | boolean | JsonValue;

/** Attributes as two parallel arrays (keys[i] ↔ values[i]); duplicate keys keep the last value. */
export interface AttributeSet {
  readonly keys: readonly string[];
  readonly values: readonly AttributeValue[];
}

export interface ResourceBlock {
  readonly attributes: AttributeSet;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

export interface ScopeBlock {
  readonly name: string;
  readonly version: string;
  /** OTLP/JSON text of the scope's KeyValue list (`[]` when empty). */
  readonly attributesJson: string;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

/** Who a row belongs to: project always, run when the telemetry names one ('' otherwise). */
export interface Attribution {
  readonly project: string;
  readonly runId: string;
  readonly serviceName: string;
}

export interface SpanEventRow {
  readonly time: bigint;
  readonly name: string;
  /** OTLP/JSON text of the event's KeyValue list. */
  readonly attributesJson: string;
  readonly droppedAttributesCount: number;
}

export interface SpanLinkRow {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributesJson: string;
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

/** Table `spans`. Ids are lowercase hex ('' when absent). */
export interface SpanRow {
  readonly owner: Attribution;
  readonly resource: ResourceBlock;
  readonly scope: ScopeBlock;
  readonly startTime: bigint;
  readonly endTime: bigint;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  readonly kind: number;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly attributes: AttributeSet;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEventRow[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLinkRow[];
  readonly droppedLinksCount: number;
}

/** AnyValue case numbers, used as `logs.body_type`. */
export const BodyType = {
  empty: 0,
  string: 1,
  bool: 2,
  int: 3,
  double: 4,
  array: 5,
  kvlist: 6,
  bytes: 7,
} as const;
export type BodyType = (typeof BodyType)[keyof typeof BodyType];

/** Table `logs`. */
export interface LogRow {
  readonly owner: Attribution;
  readonly resource: ResourceBlock;
  readonly scope: ScopeBlock;
  readonly time: bigint;
  readonly observedTime: bigint;
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: number;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly eventName: string;
  readonly bodyType: BodyType;
  /** The string body verbatim, or the OTLP/JSON AnyValue text of any other body type ('' when empty). */
  readonly body: string;
  readonly attributes: AttributeSet;
  readonly droppedAttributesCount: number;
}

export const MetricPointSource = { event: 1, gauge: 2, sum: 3 } as const;
export type MetricPointSource = (typeof MetricPointSource)[keyof typeof MetricPointSource];

/** Table `metric_points`: one narrow row per (run, key, step, time, value). */
export interface MetricPointRow {
  readonly project: string;
  readonly runId: string;
  readonly key: string;
  /** Canonical `k=v,k2=v2` text of a Gauge/Sum point's attributes (sorted by key); '' for events. */
  readonly labels: string;
  /** Training step; -1 when the point carried none. */
  readonly step: bigint;
  readonly time: bigint;
  readonly value: number;
  readonly source: MetricPointSource;
}

export interface ExemplarRow {
  readonly time: bigint;
  /** 1 = as_double, 2 = as_int, 0 = none. */
  readonly valueType: number;
  readonly valueDouble: number;
  readonly valueInt: bigint;
  readonly traceId: string;
  readonly spanId: string;
  readonly filteredAttributesJson: string;
}

/** Columns shared by every raw OTel metric table. */
export interface MetricRowBase {
  readonly owner: Attribution;
  readonly resource: ResourceBlock;
  readonly scope: ScopeBlock;
  readonly metricName: string;
  readonly metricDescription: string;
  readonly metricUnit: string;
  /** OTLP/JSON text of the metric's metadata KeyValue list. */
  readonly metricMetadataJson: string;
  readonly startTime: bigint;
  readonly time: bigint;
  readonly flags: number;
  readonly attributes: AttributeSet;
  readonly exemplars: readonly ExemplarRow[];
}

export const MetricType = { gauge: 1, sum: 2 } as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** Table `metrics_number` (Gauge and Sum points). */
export interface NumberPointRow extends MetricRowBase {
  readonly metricType: MetricType;
  readonly aggregationTemporality: number;
  readonly isMonotonic: boolean;
  /** 1 = as_double, 2 = as_int, 0 = no value (NO_RECORDED_VALUE). */
  readonly valueType: number;
  readonly valueDouble: number;
  readonly valueInt: bigint;
}

/** Optional doubles of histogram points: `undefined` when the sender did not set them. */
export interface HistogramPointRow extends MetricRowBase {
  readonly aggregationTemporality: number;
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly bucketCounts: readonly bigint[];
  readonly explicitBounds: readonly number[];
}

export interface ExpHistogramPointRow extends MetricRowBase {
  readonly aggregationTemporality: number;
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly scale: number;
  readonly zeroCount: bigint;
  readonly zeroThreshold: number;
  readonly positiveOffset: number;
  readonly positiveBucketCounts: readonly bigint[];
  readonly negativeOffset: number;
  readonly negativeBucketCounts: readonly bigint[];
}

export interface SummaryPointRow extends MetricRowBase {
  readonly count: bigint;
  readonly sum: number;
  readonly quantiles: readonly number[];
  readonly quantileValues: readonly number[];
}

/**
 * One row of the run registry's ClickHouse read mirror (`runs`, 0011): a snapshot of the Postgres row at
 * `revision`. Times are ms since the epoch (0 = not yet); '' for an unset name/group/notes.
 */
export interface RunMirrorRow {
  readonly project: string;
  readonly id: string;
  readonly name: string;
  readonly group: string;
  readonly status: string;
  readonly tags: readonly string[];
  readonly notes: string;
  /** The config as JSON text. */
  readonly config: string;
  /** Every config path (the JSON text of its segments) → its JSON type (`branch`: a non-empty object). */
  readonly configKinds: ReadonlyMap<string, string>;
  /** Config values by path, one map per scalar JSON type. */
  readonly configNum: ReadonlyMap<string, number>;
  readonly configStr: ReadonlyMap<string, string>;
  readonly configBool: ReadonlyMap<string, boolean>;
  readonly createdMs: number;
  readonly startedMs: number;
  readonly endedMs: number;
  readonly lastSeenMs: number;
  readonly exitCode: number | null;
  readonly summaryLast: ReadonlyMap<string, number>;
  readonly summaryMin: ReadonlyMap<string, number>;
  readonly summaryMax: ReadonlyMap<string, number>;
  readonly revision: bigint;
  readonly deleted: boolean;
}

/**
 * One row of `record_ids` (0013): an `mlrun.record.id` the receiver has stored, so a replay of the same
 * record is dropped. `receivedAt` is the receiver's clock (Unix nanoseconds), stored to the second.
 */
export interface RecordIdRow {
  readonly project: string;
  readonly recordId: string;
  readonly receivedAt: bigint;
}

/** Every table the receiver (or the registry writer, for `runs`) writes, with its row type. */
export interface TableRows {
  spans: SpanRow;
  logs: LogRow;
  metric_points: MetricPointRow;
  metrics_number: NumberPointRow;
  metrics_histogram: HistogramPointRow;
  metrics_exp_histogram: ExpHistogramPointRow;
  metrics_summary: SummaryPointRow;
  runs: RunMirrorRow;
  record_ids: RecordIdRow;
}
export type TableName = keyof TableRows;
