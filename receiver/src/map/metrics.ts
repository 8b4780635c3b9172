/**
 * ExportMetricsServiceRequest → raw OTel metric rows (metrics_number / _histogram / _exp_histogram /
 * _summary), and Gauge/Sum points also → `metric_points`, so any OTel meter's values chart as run series.
 * Pure.
 */
import type { IExportMetricsServiceRequest, IMetric } from '@mlrun/proto';
import type {
  Attribution,
  ExpHistogramPointRow,
  HistogramPointRow,
  MetricPointRow,
  NumberPointRow,
  ResourceBlock,
  ScopeBlock,
  SummaryPointRow,
} from '@mlrun/storage';
import type { RequestContext } from './attribution.js';
import { attribute } from './attribution.js';
import { toResourceBlock, toScopeBlock } from './blocks.js';
import { toExpHistogramRows, toHistogramRows, toNumberRows, toSummaryRows } from './metric-points.js';
import type { MapOutcome } from './outcome.js';
import { Notes } from './outcome.js';
import { RunEvents } from './run-events.js';
import { keyValuesJson } from './values.js';

/** Rows being collected for one request. */
export interface MetricTables {
  readonly metrics_number: NumberPointRow[];
  readonly metrics_histogram: HistogramPointRow[];
  readonly metrics_exp_histogram: ExpHistogramPointRow[];
  readonly metrics_summary: SummaryPointRow[];
  readonly metric_points: MetricPointRow[];
}

/** What every data point of one metric shares. */
export interface MetricContext {
  readonly owner: Attribution;
  readonly resource: ResourceBlock;
  readonly scope: ScopeBlock;
  readonly metric: IMetric;
  readonly metadataJson: string;
  readonly request: RequestContext;
  readonly notes: Notes;
}

export function mapMetrics(request: IExportMetricsServiceRequest, context: RequestContext): MapOutcome {
  const tables: MetricTables = {
    metrics_number: [],
    metrics_histogram: [],
    metrics_exp_histogram: [],
    metrics_summary: [],
    metric_points: [],
  };
  const notes = new Notes();
  const runs = new RunEvents(context);
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const owner = attribute(resourceMetrics.resource, context);
    runs.sighting(owner, resourceMetrics.resource);
    const resource = toResourceBlock(resourceMetrics.resource, resourceMetrics.schemaUrl);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scope = toScopeBlock(scopeMetrics.scope, scopeMetrics.schemaUrl);
      for (const metric of scopeMetrics.metrics ?? []) {
        const metadataJson = keyValuesJson(metric.metadata);
        mapMetric({ owner, resource, scope, metric, metadataJson, request: context, notes }, tables);
      }
    }
  }
  return { tables, runs: runs.events, rejected: notes.rejected, messages: notes.messages };
}

function mapMetric(context: MetricContext, tables: MetricTables): void {
  const { metric, notes } = context;
  if (metric.gauge) toNumberRows(context, metric.gauge.dataPoints, tables, { type: 'gauge' });
  else if (metric.sum)
    toNumberRows(context, metric.sum.dataPoints, tables, {
      type: 'sum',
      temporality: metric.sum.aggregationTemporality ?? 0,
      monotonic: metric.sum.isMonotonic === true,
    });
  else if (metric.histogram) toHistogramRows(context, metric.histogram, tables.metrics_histogram);
  else if (metric.exponentialHistogram) toExpHistogramRows(context, metric.exponentialHistogram, tables.metrics_exp_histogram);
  else if (metric.summary) toSummaryRows(context, metric.summary, tables.metrics_summary);
  else notes.note(`metric ${JSON.stringify(metric.name ?? '')} has no data (no gauge, sum, histogram or summary)`);
}
