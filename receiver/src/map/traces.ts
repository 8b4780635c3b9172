/** ExportTraceServiceRequest → `spans` rows. Pure. */
import type { IExportTraceServiceRequest, ISpan, ISpanEvent, ISpanLink } from '@mlrun/proto';
import type { Attribution, ResourceBlock, ScopeBlock, SpanEventRow, SpanLinkRow, SpanRow } from '@mlrun/storage';
import type { RequestContext } from './attribution.js';
import { attribute } from './attribution.js';
import { toResourceBlock, toScopeBlock } from './blocks.js';
import type { MapOutcome } from './outcome.js';
import { Notes } from './outcome.js';
import { RunEvents } from './run-events.js';
import { idToHex, keyValuesJson, toAttributeSet, toNanos } from './values.js';

export function mapTraces(request: IExportTraceServiceRequest, context: RequestContext): MapOutcome {
  const spans: SpanRow[] = [];
  const notes = new Notes();
  const runs = new RunEvents(context);
  for (const resourceSpans of request.resourceSpans ?? []) {
    const owner = attribute(resourceSpans.resource, context);
    runs.sighting(owner, resourceSpans.resource);
    const resource = toResourceBlock(resourceSpans.resource, resourceSpans.schemaUrl);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope = toScopeBlock(scopeSpans.scope, scopeSpans.schemaUrl);
      for (const span of scopeSpans.spans ?? []) {
        const row = toSpanRow(span, owner, resource, scope, notes);
        if (row) spans.push(row);
      }
    }
  }
  return { tables: { spans }, runs: runs.events, rejected: notes.rejected, messages: notes.messages };
}

function toSpanRow(span: ISpan, owner: Attribution, resource: ResourceBlock, scope: ScopeBlock, notes: Notes): SpanRow | undefined {
  const traceId = idToHex(span.traceId, 16);
  const spanId = idToHex(span.spanId, 8);
  const parentSpanId = idToHex(span.parentSpanId, 8);
  if (!traceId || !spanId) {
    notes.reject('span rejected: trace_id must be 16 bytes and span_id 8 bytes, not all zero');
    return undefined;
  }
  if (parentSpanId === undefined) {
    notes.reject('span rejected: parent_span_id must be empty or 8 bytes');
    return undefined;
  }
  const links = toLinkRows(span.links);
  if (!links) {
    notes.reject('span rejected: a link has a trace_id that is not 16 bytes or a span_id that is not 8 bytes');
    return undefined;
  }
  return {
    owner,
    resource,
    scope,
    startTime: toNanos(span.startTimeUnixNano),
    endTime: toNanos(span.endTimeUnixNano),
    traceId,
    spanId,
    parentSpanId,
    traceState: span.traceState ?? '',
    flags: span.flags ?? 0,
    name: span.name ?? '',
    kind: span.kind ?? 0,
    statusCode: span.status?.code ?? 0,
    statusMessage: span.status?.message ?? '',
    attributes: toAttributeSet(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    events: toEventRows(span.events),
    droppedEventsCount: span.droppedEventsCount ?? 0,
    links,
    droppedLinksCount: span.droppedLinksCount ?? 0,
  };
}

const NO_EVENTS: readonly SpanEventRow[] = Object.freeze([]);
const NO_LINKS: readonly SpanLinkRow[] = Object.freeze([]);

function toEventRows(events: readonly ISpanEvent[] | null | undefined): readonly SpanEventRow[] {
  if (!events || events.length === 0) return NO_EVENTS;
  return events.map((event) => ({
    time: toNanos(event.timeUnixNano),
    name: event.name ?? '',
    attributesJson: keyValuesJson(event.attributes),
    droppedAttributesCount: event.droppedAttributesCount ?? 0,
  }));
}

/** Link rows, or `undefined` when a link carries malformed ids. */
function toLinkRows(links: readonly ISpanLink[] | null | undefined): readonly SpanLinkRow[] | undefined {
  if (!links || links.length === 0) return NO_LINKS;
  const rows: SpanLinkRow[] = [];
  for (const link of links) {
    const traceId = idToHex(link.traceId, 16);
    const spanId = idToHex(link.spanId, 8);
    if (traceId === undefined || spanId === undefined) return undefined;
    rows.push({
      traceId,
      spanId,
      traceState: link.traceState ?? '',
      attributesJson: keyValuesJson(link.attributes),
      droppedAttributesCount: link.droppedAttributesCount ?? 0,
      flags: link.flags ?? 0,
    });
  }
  return rows;
}
