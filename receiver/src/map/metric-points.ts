/** OTel data points → raw metric rows (and Gauge/Sum points → metric_points). Pure helpers of metrics.ts. */
import type {
  IExemplar,
  IExponentialHistogram,
  IHistogram,
  IKeyValue,
  INumberDataPoint,
  ISummary,
} from '@mlrun/proto';
import type { ExemplarRow, ExpHistogramPointRow, HistogramPointRow, MetricRowBase, SummaryPointRow } from '@mlrun/storage';
import { MetricPointSource, MetricType } from '@mlrun/storage';
import { NO_STEP, STEP_KEY, stepOf } from './metrics-event.js';
import type { MetricContext, MetricTables } from './metrics.js';
import type { Int64Input } from './values.js';
import { idToHex, keyValuesJson, toAttributeSet, toAttributeValue, toBigInt, toNanos, toNumber } from './values.js';

/** DataPointFlags.NO_RECORDED_VALUE: the point marks a gap, it has no value. */
const NO_RECORDED_VALUE = 1;

interface PointCommon {
  readonly attributes?: IKeyValue[] | null;
  readonly startTimeUnixNano?: Int64Input;
  readonly timeUnixNano?: Int64Input;
  readonly flags?: number | null;
  readonly exemplars?: IExemplar[] | null;
}

/**
 * A row: the shared columns followed by the table's own `extra` ones. Built as one literal plus
 * Object.assign, never `{ ...common, ...extra }`: V8 (Node 20) spreads of these 12-field objects cost
 * ~13 µs per point, three quarters of mapping a gauge point (bench/RESULTS.md).
 */
function rowOf<E extends object>(common: MetricRowBase, extra: E): MetricRowBase & E {
  const row: MetricRowBase = {
    owner: common.owner,
    resource: common.resource,
    scope: common.scope,
    metricName: common.metricName,
    metricDescription: common.metricDescription,
    metricUnit: common.metricUnit,
    metricMetadataJson: common.metricMetadataJson,
    startTime: common.startTime,
    time: common.time,
    flags: common.flags,
    attributes: common.attributes,
    exemplars: common.exemplars,
  };
  return Object.assign(row, extra);
}

/** Rows' shared columns, or `undefined` (and a rejection) when an exemplar carries malformed ids. */
function base(context: MetricContext, point: PointCommon): MetricRowBase | undefined {
  const exemplars = toExemplarRows(point.exemplars);
  if (!exemplars) {
    context.notes.reject('data point rejected: an exemplar trace_id/span_id has the wrong length');
    return undefined;
  }
  const { metric } = context;
  return {
    owner: context.owner,
    resource: context.resource,
    scope: context.scope,
    metricName: metric.name ?? '',
    metricDescription: metric.description ?? '',
    metricUnit: metric.unit ?? '',
    metricMetadataJson: context.metadataJson,
    startTime: toNanos(point.startTimeUnixNano),
    time: toNanos(point.timeUnixNano),
    flags: point.flags ?? 0,
    attributes: toAttributeSet(point.attributes),
    exemplars,
  };
}

const NO_EXEMPLARS: readonly ExemplarRow[] = Object.freeze([]);

function toExemplarRows(exemplars: readonly IExemplar[] | null | undefined): readonly ExemplarRow[] | undefined {
  if (!exemplars || exemplars.length === 0) return NO_EXEMPLARS;
  const rows: ExemplarRow[] = [];
  for (const exemplar of exemplars) {
    const traceId = idToHex(exemplar.traceId, 16);
    const spanId = idToHex(exemplar.spanId, 8);
    if (traceId === undefined || spanId === undefined) return undefined;
    const which = valueCase(exemplar);
    const isInt = which === 'asInt';
    const isDouble = which === 'asDouble';
    rows.push({
      time: toNanos(exemplar.timeUnixNano),
      valueType: isDouble ? 1 : isInt ? 2 : 0,
      valueDouble: isDouble ? (exemplar.asDouble ?? 0) : 0,
      valueInt: isInt ? toBigInt(exemplar.asInt) : 0n,
      traceId,
      spanId,
      filteredAttributesJson: keyValuesJson(exemplar.filteredAttributes),
    });
  }
  return rows;
}

/**
 * Which member of a point's `value` oneof (as_double / as_int) is set. Fields are checked directly: the
 * generated `.value` getter scans Object.keys on every call (see anyValueCase in values.ts).
 */
function valueCase(point: { asDouble?: number | null; asInt?: unknown }): 'asDouble' | 'asInt' | undefined {
  if (point.asDouble !== null && point.asDouble !== undefined) return 'asDouble';
  if (point.asInt !== null && point.asInt !== undefined) return 'asInt';
  return undefined;
}

export interface NumberKind {
  readonly type: 'gauge' | 'sum';
  readonly temporality?: number;
  readonly monotonic?: boolean;
}

export function toNumberRows(
  context: MetricContext,
  points: readonly INumberDataPoint[] | null | undefined,
  tables: MetricTables,
  kind: NumberKind,
): void {
  for (const point of points ?? []) {
    const common = base(context, point);
    if (!common) continue;
    const which = valueCase(point);
    const valueDouble = which === 'asDouble' ? (point.asDouble ?? 0) : 0;
    const valueInt = which === 'asInt' ? toBigInt(point.asInt) : 0n;
    tables.metrics_number.push(
      rowOf(common, {
        metricType: kind.type === 'gauge' ? MetricType.gauge : MetricType.sum,
        aggregationTemporality: kind.temporality ?? 0,
        isMonotonic: kind.monotonic ?? false,
        valueType: which === 'asDouble' ? 1 : which === 'asInt' ? 2 : 0,
        valueDouble,
        valueInt,
      }),
    );
    if (which === undefined || ((point.flags ?? 0) & NO_RECORDED_VALUE) !== 0) continue;
    tables.metric_points.push({
      project: common.owner.project,
      runId: common.owner.runId,
      key: common.metricName,
      labels: labelsOf(point.attributes),
      step: stepOf(point.attributes) ?? NO_STEP,
      time: common.time !== 0n ? common.time : context.request.receivedAt,
      value: which === 'asDouble' ? valueDouble : toNumber(point.asInt),
      source: kind.type === 'gauge' ? MetricPointSource.gauge : MetricPointSource.sum,
    });
  }
}

/** Canonical series labels: the point's attributes but the step, sorted by key, as `k=v,k2=v2`. */
export function labelsOf(attributes: readonly IKeyValue[] | null | undefined): string {
  if (!attributes || attributes.length === 0) return '';
  const parts: string[] = [];
  for (const kv of attributes) {
    if (kv.key === STEP_KEY) continue;
    const value = toAttributeValue(kv.value);
    const text = value === undefined ? '' : typeof value === 'object' ? value.json : String(value);
    parts.push(`${kv.key ?? ''}=${text}`);
  }
  return parts.sort().join(',');
}

/** A proto3 `optional double`: its value when the sender set it (protobufjs leaves unset ones null). */
function optional(point: object, field: 'sum' | 'min' | 'max'): number | undefined {
  const value = (point as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : undefined;
}

interface HistogramLike {
  readonly aggregationTemporality?: number | null;
}
interface HistogramPointLike {
  readonly count?: Int64Input;
}

/** What explicit and exponential histogram points share: temporality, count and the optional sum/min/max. */
function histogramCommon(histogram: HistogramLike, point: HistogramPointLike & object) {
  return {
    aggregationTemporality: histogram.aggregationTemporality ?? 0,
    count: toBigInt(point.count),
    sum: optional(point, 'sum'),
    min: optional(point, 'min'),
    max: optional(point, 'max'),
  };
}

export function toHistogramRows(context: MetricContext, histogram: IHistogram, out: HistogramPointRow[]): void {
  for (const point of histogram.dataPoints ?? []) {
    const common = base(context, point);
    if (!common) continue;
    const own = {
      bucketCounts: (point.bucketCounts ?? []).map((count) => toBigInt(count)),
      explicitBounds: point.explicitBounds ?? [],
    };
    out.push(rowOf(common, Object.assign(histogramCommon(histogram, point), own)));
  }
}

export function toExpHistogramRows(context: MetricContext, histogram: IExponentialHistogram, out: ExpHistogramPointRow[]): void {
  for (const point of histogram.dataPoints ?? []) {
    const common = base(context, point);
    if (!common) continue;
    const own = {
      scale: point.scale ?? 0,
      zeroCount: toBigInt(point.zeroCount),
      zeroThreshold: point.zeroThreshold ?? 0,
      positiveOffset: point.positive?.offset ?? 0,
      positiveBucketCounts: (point.positive?.bucketCounts ?? []).map((count) => toBigInt(count)),
      negativeOffset: point.negative?.offset ?? 0,
      negativeBucketCounts: (point.negative?.bucketCounts ?? []).map((count) => toBigInt(count)),
    };
    out.push(rowOf(common, Object.assign(histogramCommon(histogram, point), own)));
  }
}

export function toSummaryRows(context: MetricContext, summary: ISummary, out: SummaryPointRow[]): void {
  for (const point of summary.dataPoints ?? []) {
    const common = base(context, point);
    if (!common) continue;
    const quantiles = point.quantileValues ?? [];
    out.push(
      rowOf(common, {
        count: toBigInt(point.count),
        sum: point.sum ?? 0,
        quantiles: quantiles.map((q) => q.quantile ?? 0),
        quantileValues: quantiles.map((q) => q.value ?? 0),
      }),
    );
  }
}
