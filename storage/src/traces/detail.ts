/**
 * One span in full, from `spans` (lossless): every typed attribute, events, links, resource and scope. The
 * caller knows the span's start from `span_tree` (readNode), so the read pins `timestamp` and with it the
 * hour bucket of the spans sort key: a point read, not a search for the trace across hours.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { AttributeMaps, MapColumns, TypedAttribute } from './typed.js';
import { attributeMaps, keyValueMaps, typedAttributes } from './typed.js';

export interface SpanEventDetail {
  /** Unix nanoseconds. */
  readonly timeNs: bigint;
  readonly name: string;
  readonly attributes: AttributeMaps;
}

export interface SpanLinkDetail {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: TypedAttribute[];
}

export interface SpanDetailRow {
  readonly traceState: string;
  readonly attributes: AttributeMaps;
  readonly resource: AttributeMaps;
  readonly scope: { readonly name: string; readonly version: string; readonly attributes: TypedAttribute[] };
  readonly events: readonly SpanEventDetail[];
  readonly links: readonly SpanLinkDetail[];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

type DetailRecord = MapColumns<'attributes'> &
  MapColumns<'resource'> & {
    trace_state: string;
    scope_name: string;
    scope_version: string;
    scope_attributes: string;
    event_times: string[];
    event_names: string[];
    event_attributes: string[];
    link_trace_ids: string[];
    link_span_ids: string[];
    link_trace_states: string[];
    link_attributes: string[];
    dropped_attributes_count: number;
    dropped_events_count: number;
    dropped_links_count: number;
  };

function toDetail(r: DetailRecord): SpanDetailRow {
  return {
    traceState: r.trace_state,
    attributes: attributeMaps(r, 'attributes'),
    resource: attributeMaps(r, 'resource'),
    scope: { name: r.scope_name, version: r.scope_version, attributes: typedAttributes(keyValueMaps(r.scope_attributes)) },
    events: r.event_times.map((t, i) => ({ timeNs: BigInt(t), name: r.event_names[i] ?? '', attributes: keyValueMaps(r.event_attributes[i] ?? '[]') })),
    links: r.link_trace_ids.map((traceId, i) => ({
      traceId,
      spanId: r.link_span_ids[i] ?? '',
      traceState: r.link_trace_states[i] ?? '',
      attributes: typedAttributes(keyValueMaps(r.link_attributes[i] ?? '[]')),
    })),
    droppedAttributesCount: Number(r.dropped_attributes_count),
    droppedEventsCount: Number(r.dropped_events_count),
    droppedLinksCount: Number(r.dropped_links_count),
  };
}

/** The span's stored row, or null (it was deleted between the tree read and this one). */
export async function readSpanDetail(
  ch: ClickHouse,
  q: { readonly project: string; readonly traceId: string; readonly spanId: string; readonly startNs: bigint },
): Promise<SpanDetailRow | null> {
  const rows = await ch.query<DetailRecord>({
    sql: `SELECT trace_state, attributes_str, attributes_int, attributes_float, attributes_bool, attributes_json,
                 resource_str, resource_int, resource_float, resource_bool, resource_json,
                 scope_name, scope_version, scope_attributes,
                 arrayMap(t -> toString(toUnixTimestamp64Nano(t)), events.timestamp) AS event_times,
                 events.name AS event_names, events.attributes AS event_attributes,
                 links.trace_id AS link_trace_ids, links.span_id AS link_span_ids,
                 links.trace_state AS link_trace_states, links.attributes AS link_attributes,
                 dropped_attributes_count, dropped_events_count, dropped_links_count
          FROM spans
          WHERE project = {project:String} AND timestamp = fromUnixTimestamp64Nano({start:Int64})
            AND trace_id = {trace:String} AND span_id = {span:String}
          LIMIT 1`,
    params: { project: q.project, trace: q.traceId, span: q.spanId, start: q.startNs },
    tag: 'traces.span_detail',
  });
  return rows[0] ? toDetail(rows[0]) : null;
}
