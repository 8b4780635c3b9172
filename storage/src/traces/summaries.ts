/**
 * Per-trace summaries (`trace_summaries`, clickhouse/0015) read back as rows: one trace's head, the summaries
 * of a page of traces by id, and whether a project has any trace. Every read aggregates the table's rows
 * again (min/max/sum/argMinMerge … GROUP BY trace_id), so it is exact before and after merges.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import { float64, int64 } from '../clickhouse/queries/values.js';

/** Token counts of one model. */
export interface ModelTokens {
  /** '' for tokens of spans that named no model. */
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface TraceSummaryRow {
  readonly traceId: string;
  /** Unix nanoseconds: the earliest span start. */
  readonly startNs: bigint;
  /** Unix nanoseconds: the latest span end. */
  readonly endNs: bigint;
  readonly spanCount: number;
  /** Spans with status error. */
  readonly errorCount: number;
  /** The earliest span without a parent; null until one has arrived. */
  readonly rootName: string | null;
  readonly rootSpanId: string | null;
  /** The root's service (the earliest span's while the root is missing). */
  readonly service: string;
  readonly runId: string | null;
  readonly sessionId: string | null;
  /** Every model a span named, sorted. */
  readonly models: readonly string[];
  /** Sums over the spans whose usage counts (docs/storage.md, "Traces"). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The same tokens of spans that reported no cost, per model: what a price table prices. */
  readonly unpricedTokens: readonly ModelTokens[];
  /** Costs spans reported themselves, summed, and how many spans reported one. */
  readonly reportedCost: number;
  readonly reportedSpans: number;
}

/** The aggregate columns of a summary, `t_*` (never a column's own name, which an alias would shadow). */
export const SUMMARY_COLUMNS = `
    min(start_ns) AS t_start, max(end_ns) AS t_end, sum(span_count) AS t_spans, sum(error_count) AS t_errors,
    argMinMerge(root) AS t_root, max(run_id) AS t_run, max(session_id) AS t_session,
    groupUniqArrayArray(models) AS t_models, sum(input_tokens) AS t_in, sum(output_tokens) AS t_out,
    sumMap(priced) AS t_priced, sum(reported_cost) AS t_reported, sum(reported_spans) AS t_reported_spans`;

export interface SummaryRecord {
  trace_id: string;
  t_start: string;
  t_end: string;
  t_spans: string;
  t_errors: string;
  t_root: [string, string, string, number];
  t_run: string;
  t_session: string;
  t_models: string[];
  t_in: string;
  t_out: string;
  t_priced: [string[], string[], string[]];
  t_reported: number | string;
  t_reported_spans: string;
}

const orNull = (s: string): string | null => (s === '' ? null : s);

/** Zips a sumMap result into per-model token counts. */
export function modelTokens([models, inputs, outputs]: [string[], string[], string[]]): ModelTokens[] {
  return models.map((model, i) => ({ model, inputTokens: Number(inputs[i] ?? 0), outputTokens: Number(outputs[i] ?? 0) }));
}

export function toSummary(r: SummaryRecord): TraceSummaryRow {
  const [name, spanId, service, isRoot] = r.t_root;
  const root = Number(isRoot) === 1;
  return {
    traceId: r.trace_id,
    startNs: int64(r.t_start, 't_start'),
    endNs: int64(r.t_end, 't_end'),
    spanCount: Number(r.t_spans),
    errorCount: Number(r.t_errors),
    rootName: root ? name : null,
    rootSpanId: root ? spanId : null,
    service,
    runId: orNull(r.t_run),
    sessionId: orNull(r.t_session),
    models: [...r.t_models].sort(),
    inputTokens: Number(r.t_in),
    outputTokens: Number(r.t_out),
    unpricedTokens: modelTokens(r.t_priced),
    reportedCost: float64(r.t_reported, 't_reported'),
    reportedSpans: Number(r.t_reported_spans),
  };
}

/** The summaries of these traces (those that exist), in no particular order. */
export async function readTraceSummaries(ch: ClickHouse, project: string, traceIds: readonly string[]): Promise<TraceSummaryRow[]> {
  if (traceIds.length === 0) return [];
  const rows = await ch.query<SummaryRecord>({
    sql: `SELECT trace_id, ${SUMMARY_COLUMNS}
          FROM trace_summaries WHERE project = {project:String} AND trace_id IN {ids:Array(String)}
          GROUP BY trace_id`,
    params: { project, ids: [...traceIds] },
    tag: 'traces.summaries',
  });
  return rows.map(toSummary);
}

/** One trace's summary, or null when the project has no such trace. */
export async function readTraceSummary(ch: ClickHouse, project: string, traceId: string): Promise<TraceSummaryRow | null> {
  const [row] = await readTraceSummaries(ch, project, [traceId]);
  return row ?? null;
}

/** True when the project has stored at least one span. */
export async function projectHasTraces(ch: ClickHouse, project: string): Promise<boolean> {
  const rows = await ch.query({ sql: 'SELECT 1 FROM trace_summaries WHERE project = {project:String} LIMIT 1', params: { project }, tag: 'traces.project_exists' });
  return rows.length > 0;
}

/** A project's traces, counted from `trace_summaries`. */
export interface TraceProject {
  readonly project: string;
  /** ClickHouse's `uniq` of the trace ids: exact for small projects, an estimate for large ones. */
  readonly traceCount: number;
  /** Unix ns: the first span's start and the last span's end in the project. */
  readonly firstNs: bigint;
  readonly lastNs: bigint;
}

/**
 * Every project with stored spans: trace count and first/last activity (the projects list shows projects
 * that only ever sent traces — an agent that never starts a run). Reads the summaries' project, trace id
 * and start/end columns (~50k rows per 1M spans); the page polls it, so traces are counted with `uniq`
 * (adaptive sampling over at most 65,536 hashes) rather than a hash set of every trace id.
 */
export async function readTraceProjects(ch: ClickHouse): Promise<TraceProject[]> {
  const rows = await ch.query<{ project: string; traces: string; first_ns: string; last_ns: string }>({
    sql: `SELECT project, toString(uniq(trace_id)) AS traces, toString(min(start_ns)) AS first_ns, toString(max(end_ns)) AS last_ns
          FROM trace_summaries GROUP BY project ORDER BY project`,
    tag: 'traces.projects',
  });
  return rows.map((r) => ({ project: r.project, traceCount: Number(r.traces), firstNs: int64(r.first_ns, 'first_ns'), lastNs: int64(r.last_ns, 'last_ns') }));
}
