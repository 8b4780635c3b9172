/**
 * Rows (rows.ts) → RowBinary, one encoder per table, each writing exactly the columns of TABLES[table]
 * in that order. Nested columns are parallel arrays, one per sub-column.
 */
import type {
  ExemplarRow,
  ExpHistogramPointRow,
  HistogramPointRow,
  LogRow,
  MetricPointRow,
  MetricRowBase,
  NumberPointRow,
  SpanEventRow,
  SpanLinkRow,
  SpanRow,
  RecordIdRow,
  RunMirrorRow,
  SummaryPointRow,
  TableName,
  TableRows,
} from '../rows.js';
import { BlockCache, writeResource, writeScope, writeTypedMaps } from './encode-blocks.js';
import { RowBinaryWriter, writeArray, writeFloat64, writeString, writeUInt64 } from './row-binary.js';

/** Per-insert state shared by the rows of one batch. */
interface Ctx {
  readonly resources: BlockCache;
  readonly scopes: BlockCache;
}

type Encoder<R> = (w: RowBinaryWriter, row: R, ctx: Ctx) => void;

function nested<V, F>(w: RowBinaryWriter, items: readonly V[], field: (v: V) => F, write: (w: RowBinaryWriter, f: F) => void): void {
  w.varUInt(items.length);
  for (const item of items) write(w, field(item));
}

const writeU32 = (w: RowBinaryWriter, v: number): void => w.uint32(v);
const writeU8 = (w: RowBinaryWriter, v: number): void => w.uint8(v);
const writeI64 = (w: RowBinaryWriter, v: bigint): void => w.int64(v);

function writeEvents(w: RowBinaryWriter, events: readonly SpanEventRow[]): void {
  nested(w, events, (e) => e.time, writeI64);
  nested(w, events, (e) => e.name, writeString);
  nested(w, events, (e) => e.attributesJson, writeString);
  nested(w, events, (e) => e.droppedAttributesCount, writeU32);
}

function writeLinks(w: RowBinaryWriter, links: readonly SpanLinkRow[]): void {
  nested(w, links, (l) => l.traceId, writeString);
  nested(w, links, (l) => l.spanId, writeString);
  nested(w, links, (l) => l.traceState, writeString);
  nested(w, links, (l) => l.attributesJson, writeString);
  nested(w, links, (l) => l.droppedAttributesCount, writeU32);
  nested(w, links, (l) => l.flags, writeU32);
}

function writeExemplars(w: RowBinaryWriter, exemplars: readonly ExemplarRow[]): void {
  nested(w, exemplars, (e) => e.time, writeI64);
  nested(w, exemplars, (e) => e.valueType, writeU8);
  nested(w, exemplars, (e) => e.valueDouble, writeFloat64);
  nested(w, exemplars, (e) => e.valueInt, writeI64);
  nested(w, exemplars, (e) => e.traceId, writeString);
  nested(w, exemplars, (e) => e.spanId, writeString);
  nested(w, exemplars, (e) => e.filteredAttributesJson, writeString);
}

function writeResourceAndScope(w: RowBinaryWriter, row: { resource: SpanRow['resource']; scope: SpanRow['scope'] }, ctx: Ctx): void {
  ctx.resources.write(w, row.resource, writeResource);
  ctx.scopes.write(w, row.scope, writeScope);
}

const encodeSpan: Encoder<SpanRow> = (w, r, ctx) => {
  w.string(r.owner.project);
  w.string(r.owner.runId);
  w.dateTime64(r.startTime);
  w.dateTime64(r.endTime);
  w.string(r.traceId);
  w.string(r.spanId);
  w.string(r.parentSpanId);
  w.string(r.traceState);
  w.uint32(r.flags);
  w.string(r.name);
  w.uint8(r.kind);
  w.string(r.owner.serviceName);
  w.uint8(r.statusCode);
  w.string(r.statusMessage);
  writeTypedMaps(w, r.attributes);
  w.uint32(r.droppedAttributesCount);
  writeEvents(w, r.events);
  w.uint32(r.droppedEventsCount);
  writeLinks(w, r.links);
  w.uint32(r.droppedLinksCount);
  writeResourceAndScope(w, r, ctx);
};

const encodeLog: Encoder<LogRow> = (w, r, ctx) => {
  w.string(r.owner.project);
  w.string(r.owner.runId);
  w.dateTime64(r.time);
  w.dateTime64(r.observedTime);
  w.string(r.traceId);
  w.string(r.spanId);
  w.uint32(r.flags);
  w.uint8(r.severityNumber);
  w.string(r.severityText);
  w.string(r.eventName);
  w.string(r.owner.serviceName);
  w.uint8(r.bodyType);
  w.string(r.body);
  writeTypedMaps(w, r.attributes);
  w.uint32(r.droppedAttributesCount);
  writeResourceAndScope(w, r, ctx);
};

const encodeMetricPoint: Encoder<MetricPointRow> = (w, r) => {
  w.string(r.project);
  w.string(r.runId);
  w.string(r.key);
  w.string(r.labels);
  w.int64(r.step);
  w.dateTime64(r.time);
  w.float64(r.value);
  w.uint8(r.source);
};

/** The columns shared by the four raw OTel metric tables (metric identity … exemplars). */
function writeMetricBase(w: RowBinaryWriter, r: MetricRowBase, ctx: Ctx): void {
  w.string(r.owner.project);
  w.string(r.owner.runId);
  w.string(r.metricName);
  w.string(r.metricDescription);
  w.string(r.metricUnit);
  w.string(r.metricMetadataJson);
  w.string(r.owner.serviceName);
  w.dateTime64(r.startTime);
  w.dateTime64(r.time);
  w.uint32(r.flags);
  writeTypedMaps(w, r.attributes);
  writeResourceAndScope(w, r, ctx);
  writeExemplars(w, r.exemplars);
}

/** sum, has_sum, min, has_min, max, has_max: an absent value is stored as 0 with its flag false. */
function writeOptionalStats(w: RowBinaryWriter, r: { sum: number | undefined; min: number | undefined; max: number | undefined }): void {
  writeOptional(w, r.sum);
  writeOptional(w, r.min);
  writeOptional(w, r.max);
}

function writeOptional(w: RowBinaryWriter, v: number | undefined): void {
  w.float64(v ?? 0);
  w.bool(v !== undefined);
}

const encodeNumberPoint: Encoder<NumberPointRow> = (w, r, ctx) => {
  writeMetricBase(w, r, ctx);
  w.uint8(r.metricType);
  w.uint8(r.aggregationTemporality);
  w.bool(r.isMonotonic);
  w.uint8(r.valueType);
  w.float64(r.valueDouble);
  w.int64(r.valueInt);
};

const encodeHistogramPoint: Encoder<HistogramPointRow> = (w, r, ctx) => {
  writeMetricBase(w, r, ctx);
  w.uint8(r.aggregationTemporality);
  w.uint64(r.count);
  writeOptionalStats(w, r);
  writeArray(w, r.bucketCounts, writeUInt64);
  writeArray(w, r.explicitBounds, writeFloat64);
};

const encodeExpHistogramPoint: Encoder<ExpHistogramPointRow> = (w, r, ctx) => {
  writeMetricBase(w, r, ctx);
  w.uint8(r.aggregationTemporality);
  w.uint64(r.count);
  writeOptionalStats(w, r);
  w.int32(r.scale);
  w.uint64(r.zeroCount);
  w.float64(r.zeroThreshold);
  w.int32(r.positiveOffset);
  writeArray(w, r.positiveBucketCounts, writeUInt64);
  w.int32(r.negativeOffset);
  writeArray(w, r.negativeBucketCounts, writeUInt64);
};

const encodeSummaryPoint: Encoder<SummaryPointRow> = (w, r, ctx) => {
  writeMetricBase(w, r, ctx);
  w.uint64(r.count);
  w.float64(r.sum);
  writeArray(w, r.quantiles, writeFloat64);
  writeArray(w, r.quantileValues, writeFloat64);
};

function writeMap<V>(w: RowBinaryWriter, map: ReadonlyMap<string, V>, write: (w: RowBinaryWriter, v: V) => void): void {
  w.varUInt(map.size);
  for (const [key, value] of map) {
    w.string(key);
    write(w, value);
  }
}

const writeBool = (w: RowBinaryWriter, v: boolean): void => w.bool(v);

const encodeRunMirror: Encoder<RunMirrorRow> = (w, r) => {
  w.string(r.project);
  w.string(r.id);
  w.string(r.name);
  w.string(r.group);
  w.string(r.status);
  writeArray(w, r.tags, writeString);
  w.string(r.notes);
  w.string(r.config);
  writeMap(w, r.configKinds, writeString);
  writeMap(w, r.configNum, writeFloat64);
  writeMap(w, r.configStr, writeString);
  writeMap(w, r.configBool, writeBool);
  w.int64(BigInt(r.createdMs));
  w.int64(BigInt(r.startedMs));
  w.int64(BigInt(r.endedMs));
  w.int64(BigInt(r.lastSeenMs));
  w.int64(BigInt(r.exitCode ?? 0));
  w.bool(r.exitCode !== null);
  writeMap(w, r.summaryLast, writeFloat64);
  writeMap(w, r.summaryMin, writeFloat64);
  writeMap(w, r.summaryMax, writeFloat64);
  w.uint64(r.revision);
  w.uint8(r.deleted ? 1 : 0);
};

const NANOS_PER_SECOND = 1_000_000_000n;

const encodeRecordId: Encoder<RecordIdRow> = (w, r) => {
  w.string(r.project);
  w.string(r.recordId);
  // DateTime is whole seconds since the epoch (UInt32).
  w.uint32(Number(r.receivedAt / NANOS_PER_SECOND));
};

const ENCODERS: { readonly [T in TableName]: Encoder<TableRows[T]> } = {
  spans: encodeSpan,
  logs: encodeLog,
  metric_points: encodeMetricPoint,
  metrics_number: encodeNumberPoint,
  metrics_histogram: encodeHistogramPoint,
  metrics_exp_histogram: encodeExpHistogramPoint,
  metrics_summary: encodeSummaryPoint,
  runs: encodeRunMirror,
  record_ids: encodeRecordId,
};

/** Rough bytes per row, to size the first buffer and avoid most regrowth. */
const ROW_SIZE_HINT: { readonly [T in TableName]: number } = {
  spans: 600,
  logs: 400,
  metric_points: 64,
  metrics_number: 300,
  metrics_histogram: 400,
  metrics_exp_histogram: 400,
  metrics_summary: 350,
  runs: 600,
  record_ids: 48,
};

/**
 * Encodes rows of one table as RowBinary in the column order of TABLES[table]. Throws (naming the table
 * and row index) on a value its column cannot hold, e.g. a negative count or an Int64 out of range.
 */
export function encodeRows<T extends TableName>(table: T, rows: readonly TableRows[T][]): Buffer {
  const encode = ENCODERS[table] as Encoder<TableRows[T]> | undefined;
  if (encode === undefined) throw new TypeError(`unknown table ${JSON.stringify(table)}`);
  const w = new RowBinaryWriter(rows.length * ROW_SIZE_HINT[table]);
  const ctx: Ctx = { resources: new BlockCache(), scopes: new BlockCache() };
  for (let i = 0; i < rows.length; i++) {
    try {
      encode(w, rows[i] as TableRows[T], ctx);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`encode ${table} row ${i}: ${message}`, { cause });
    }
  }
  return w.view();
}
