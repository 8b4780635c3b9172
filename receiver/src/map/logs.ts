/**
 * ExportLogsServiceRequest → `logs` rows, except `mlrun.metrics` events, which become `metric_points`
 * rows: one per numeric attribute, at the record's `mlrun.step` (ARCHITECTURE.md §4). Pure.
 */
import type { IExportLogsServiceRequest, ILogRecord } from '@mlrun/proto';
import type { Attribution, LogRow, MetricPointRow, ResourceBlock, ScopeBlock } from '@mlrun/storage';
import { BodyType } from '@mlrun/storage';
import type { RequestContext } from './attribution.js';
import { attribute } from './attribution.js';
import { toResourceBlock, toScopeBlock } from './blocks.js';
import { explodeMetricsEvent, METRICS_EVENT } from './metrics-event.js';
import type { MapOutcome } from './outcome.js';
import { isRunEvent, RunEvents } from './run-events.js';
import { Notes } from './outcome.js';
import { anyValueCase, anyValueJson, idToHex, toAttributeSet, toNanos } from './values.js';

export function mapLogs(request: IExportLogsServiceRequest, context: RequestContext): MapOutcome {
  const logs: LogRow[] = [];
  const points: MetricPointRow[] = [];
  const notes = new Notes();
  const runs = new RunEvents(context);
  for (const resourceLogs of request.resourceLogs ?? []) {
    const owner = attribute(resourceLogs.resource, context);
    runs.sighting(owner, resourceLogs.resource);
    const resource = toResourceBlock(resourceLogs.resource, resourceLogs.schemaUrl);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scope = toScopeBlock(scopeLogs.scope, scopeLogs.schemaUrl);
      for (const record of scopeLogs.logRecords ?? []) {
        if (record.eventName === METRICS_EVENT) {
          explodeMetricsEvent(record, owner, context, points, notes);
          continue;
        }
        const row = toLogRow(record, owner, resource, scope, notes);
        if (!row) continue;
        logs.push(row);
        if (isRunEvent(record.eventName)) runs.record(record, owner, notes);
      }
    }
  }
  return { tables: { logs, metric_points: points }, runs: runs.events, rejected: notes.rejected, messages: notes.messages };
}

const BODY_TYPES = {
  stringValue: BodyType.string,
  boolValue: BodyType.bool,
  intValue: BodyType.int,
  doubleValue: BodyType.double,
  arrayValue: BodyType.array,
  kvlistValue: BodyType.kvlist,
  bytesValue: BodyType.bytes,
} as const;

function toLogRow(record: ILogRecord, owner: Attribution, resource: ResourceBlock, scope: ScopeBlock, notes: Notes): LogRow | undefined {
  const traceId = idToHex(record.traceId, 16);
  const spanId = idToHex(record.spanId, 8);
  if (traceId === undefined || spanId === undefined) {
    notes.reject('log record rejected: trace_id must be empty or 16 bytes, span_id empty or 8 bytes');
    return undefined;
  }
  const body = record.body;
  const bodyCase = body ? anyValueCase(body) : undefined;
  return {
    owner,
    resource,
    scope,
    time: toNanos(record.timeUnixNano),
    observedTime: toNanos(record.observedTimeUnixNano),
    traceId,
    spanId,
    flags: record.flags ?? 0,
    severityNumber: record.severityNumber ?? 0,
    severityText: record.severityText ?? '',
    eventName: record.eventName ?? '',
    bodyType: bodyCase ? BODY_TYPES[bodyCase] : BodyType.empty,
    body: !body || !bodyCase ? '' : bodyCase === 'stringValue' ? (body.stringValue as string) : anyValueJson(body),
    attributes: toAttributeSet(record.attributes),
    droppedAttributesCount: record.droppedAttributesCount ?? 0,
  };
}
