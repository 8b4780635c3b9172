/**
 * The trace tree from `span_tree` (clickhouse/0014), whose sort key (project, trace_id, parent_span_id,
 * start_ns, span_id) makes the children of a span one contiguous range in tree order:
 * - roots: spans without a parent, or whose parent is not in the trace (orphans: the parent was never
 *   exported, or not yet), in start order;
 * - children of many spans at once, at most N per parent (`LIMIT n BY parent`);
 * - child counts of many spans (a count over each range);
 * - one keyset page of one span's children, ordered by (start, span id).
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { AttributeMaps, MapColumns } from './typed.js';
import { attributeMaps } from './typed.js';

export interface SpanNodeRow {
  readonly spanId: string;
  /** '' for a span without a parent. */
  readonly parentSpanId: string;
  readonly startNs: bigint;
  readonly durationNs: bigint;
  readonly name: string;
  /** OTLP SpanKind 0..5. */
  readonly kind: number;
  readonly service: string;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly runId: string;
  /** The span's attributes, string and JSON values over 256 characters emptied (keys kept; 0017). */
  readonly attributes: AttributeMaps;
}

/** A keyset position among one span's children. */
export interface ChildCursor {
  readonly startNs: bigint;
  readonly spanId: string;
}

const NODE_COLUMNS = `span_id, parent_span_id, toString(start_ns) AS start, toString(duration_ns) AS duration, name, kind,
    service_name, status_code, status_message, run_id, attributes_str, attributes_int, attributes_float, attributes_bool,
    attributes_json`;

type NodeRecord = MapColumns<'attributes'> & {
  span_id: string;
  parent_span_id: string;
  start: string;
  duration: string;
  name: string;
  kind: number;
  service_name: string;
  status_code: number;
  status_message: string;
  run_id: string;
};

function toNode(r: NodeRecord): SpanNodeRow {
  return {
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    startNs: BigInt(r.start),
    durationNs: BigInt(r.duration),
    name: r.name,
    kind: Number(r.kind),
    service: r.service_name,
    statusCode: Number(r.status_code),
    statusMessage: r.status_message,
    runId: r.run_id,
    attributes: attributeMaps(r, 'attributes'),
  };
}

const TRACE = 'project = {project:String} AND trace_id = {trace:String}';

/**
 * The trace's roots in start order: at most `limit`, `truncated` when there are more. Orphans are found by
 * an anti-join on 64-bit hashes of the ids (a set of integers builds and probes ~2× faster than one of
 * strings: ~30 ms instead of ~65 ms for a 100k-span trace); an orphan whose parent id hashes like another
 * span's would be missed, with odds of about n / 2^64. PREWHERE keeps the wide columns (attribute maps)
 * out of the scan: they are read only for granules that hold a root.
 */
export async function readRoots(ch: ClickHouse, project: string, traceId: string, limit: number): Promise<{ roots: SpanNodeRow[]; truncated: boolean }> {
  const rows = await ch.query<NodeRecord>({
    sql: `SELECT ${NODE_COLUMNS} FROM span_tree
          PREWHERE ${TRACE}
               AND (parent_span_id = '' OR cityHash64(parent_span_id) NOT IN (SELECT cityHash64(span_id) FROM span_tree WHERE ${TRACE}))
          ORDER BY start_ns, span_id
          LIMIT {limit:UInt32}`,
    params: { project, trace: traceId, limit: limit + 1 },
    tag: 'traces.tree_roots',
  });
  return { roots: rows.slice(0, limit).map(toNode), truncated: rows.length > limit };
}

/**
 * The children of each of `parents`, in start order, at most `limit + 1` per parent (so the caller can
 * tell which lists are truncated), and at most `max` rows in all.
 */
export async function readChildren(
  ch: ClickHouse,
  q: { readonly project: string; readonly traceId: string; readonly parents: readonly string[]; readonly limit: number; readonly max: number },
): Promise<Map<string, SpanNodeRow[]>> {
  const out = new Map<string, SpanNodeRow[]>();
  if (q.parents.length === 0) return out;
  const rows = await ch.query<NodeRecord>({
    sql: `SELECT ${NODE_COLUMNS} FROM span_tree
          WHERE ${TRACE} AND parent_span_id IN {parents:Array(String)}
          ORDER BY parent_span_id, start_ns, span_id
          LIMIT {limit:UInt32} BY parent_span_id
          LIMIT {max:UInt32}`,
    params: { project: q.project, trace: q.traceId, parents: [...q.parents], limit: q.limit + 1, max: q.max },
    tag: 'traces.tree_children',
  });
  for (const row of rows.map(toNode)) {
    const list = out.get(row.parentSpanId);
    if (list) list.push(row);
    else out.set(row.parentSpanId, [row]);
  }
  return out;
}

/** How many children each of `spans` has (0 for those absent from the map). */
export async function countChildren(ch: ClickHouse, project: string, traceId: string, spans: readonly string[]): Promise<Map<string, number>> {
  if (spans.length === 0) return new Map();
  const rows = await ch.query<{ parent_span_id: string; n: string }>({
    sql: `SELECT parent_span_id, count() AS n FROM span_tree
          WHERE ${TRACE} AND parent_span_id IN {spans:Array(String)}
          GROUP BY parent_span_id`,
    params: { project, trace: traceId, spans: [...spans] },
    tag: 'traces.tree_counts',
  });
  return new Map(rows.map((r) => [r.parent_span_id, Number(r.n)]));
}

/** One page of a span's children after `after`, in (start, span id) order. */
export async function readChildPage(
  ch: ClickHouse,
  q: { readonly project: string; readonly traceId: string; readonly spanId: string; readonly limit: number; readonly after?: ChildCursor },
): Promise<{ children: SpanNodeRow[]; next: ChildCursor | null }> {
  const keyset = q.after === undefined ? '' : 'AND (start_ns > {c_start:Int64} OR (start_ns = {c_start:Int64} AND span_id > {c_span:String}))';
  const rows = await ch.query<NodeRecord>({
    sql: `SELECT ${NODE_COLUMNS} FROM span_tree
          WHERE ${TRACE} AND parent_span_id = {parent:String} ${keyset}
          ORDER BY start_ns, span_id
          LIMIT {limit:UInt32}`,
    params: { project: q.project, trace: q.traceId, parent: q.spanId, limit: q.limit + 1, ...(q.after ? { c_start: q.after.startNs, c_span: q.after.spanId } : {}) },
    tag: 'traces.tree_page',
  });
  const children = rows.slice(0, q.limit).map(toNode);
  const last = children.at(-1);
  return { children, next: rows.length > q.limit && last ? { startNs: last.startNs, spanId: last.spanId } : null };
}

/** One span's tree row, or null when the trace has no such span. */
export async function readNode(ch: ClickHouse, project: string, traceId: string, spanId: string): Promise<SpanNodeRow | null> {
  const rows = await ch.query<NodeRecord>({
    sql: `SELECT ${NODE_COLUMNS} FROM span_tree WHERE ${TRACE} AND span_id = {span:String} ORDER BY start_ns LIMIT 1`,
    params: { project, trace: traceId, span: spanId },
    tag: 'traces.tree_node',
  });
  return rows[0] ? toNode(rows[0]) : null;
}
