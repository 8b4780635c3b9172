/**
 * Sessions (conversations): a project's traces grouped by their session ids (gen_ai.conversation.id,
 * session.id or mlflow.trace.session on any span; a trace naming two is in both), read from
 * `trace_summaries`. The list is newest first by the session's last activity (latest span end), then
 * session id, with keyset pages; one session is its traces oldest first. A session's token and cost sums
 * are its traces' sums.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { QueryParamValue } from '../clickhouse/params.js';
import { float64, int64, nsOfMs } from '../clickhouse/queries/values.js';
import type { ModelTokens, SummaryRecord, TraceSummaryRow } from './summaries.js';
import { modelTokens, SUMMARY_COLUMNS, toSummary } from './summaries.js';

export interface SessionCursor {
  readonly lastNs: bigint;
  readonly sessionId: string;
}

export interface SessionRow {
  readonly sessionId: string;
  readonly traceCount: number;
  /** Unix ns: the first trace's start and the last span's end. */
  readonly firstNs: bigint;
  readonly lastNs: bigint;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly unpricedTokens: readonly ModelTokens[];
  readonly reportedCost: number;
  readonly reportedSpans: number;
  /** Spans with status error, over all its traces. */
  readonly errorCount: number;
}

export interface SessionQuery {
  readonly project: string;
  /** Sessions with a trace starting in [from, to) (ms); the counts cover those traces only. */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit: number;
  readonly after?: SessionCursor;
}

/** The most traces one session read returns (the oldest). */
export const MAX_SESSION_TRACES = 1000;

interface SessionRecord {
  session: string;
  traces: string;
  first_ns: string;
  last_ns: string;
  input: string;
  output: string;
  priced: [string[], string[], string[]];
  reported: number | string;
  reported_spans: string;
  errors: string;
}

/**
 * One row per (trace, session): a trace's sums, once under each session its spans name (`session_ids`,
 * clickhouse/0017 — a trace whose spans carry two conversation ids is a turn of both).
 */
const PER_TRACE = `
    SELECT trace_id, session, s, e, i, o, p, rc, rs, errs
    FROM (
        SELECT trace_id, groupUniqArrayArray(session_ids) AS sessions, min(start_ns) AS s, max(end_ns) AS e,
               sum(input_tokens) AS i, sum(output_tokens) AS o, sumMap(priced) AS p, sum(reported_cost) AS rc,
               sum(reported_spans) AS rs, sum(error_count) AS errs
        FROM trace_summaries
        WHERE project = {project:String}
          AND trace_id IN (SELECT trace_id FROM trace_summaries WHERE project = {project:String} AND notEmpty(session_ids))
        GROUP BY trace_id
    )
    ARRAY JOIN sessions AS session`;

function toSession(r: SessionRecord): SessionRow {
  return {
    sessionId: r.session,
    traceCount: Number(r.traces),
    firstNs: int64(r.first_ns, 'first_ns'),
    lastNs: int64(r.last_ns, 'last_ns'),
    inputTokens: Number(r.input),
    outputTokens: Number(r.output),
    unpricedTokens: modelTokens(r.priced),
    reportedCost: float64(r.reported, 'reported'),
    reportedSpans: Number(r.reported_spans),
    errorCount: Number(r.errors),
  };
}

/** One page of a project's sessions, newest activity first. */
export async function listSessions(ch: ClickHouse, q: SessionQuery): Promise<{ sessions: SessionRow[]; next: SessionCursor | null }> {
  const where = ["session != ''"];
  const params: Record<string, QueryParamValue> = { project: q.project, limit: q.limit + 1 };
  if (q.fromMs !== undefined) {
    where.push('s >= {from_ns:Int64}');
    params.from_ns = nsOfMs(q.fromMs);
  }
  if (q.toMs !== undefined) {
    where.push('s < {to_ns:Int64}');
    params.to_ns = nsOfMs(q.toMs);
  }
  const after = q.after === undefined ? '' : 'HAVING last_ns < {c_last:Int64} OR (last_ns = {c_last:Int64} AND session > {c_session:String})';
  if (q.after !== undefined) Object.assign(params, { c_last: q.after.lastNs, c_session: q.after.sessionId });
  const rows = await ch.query<SessionRecord>({
    sql: `SELECT session, count() AS traces, min(s) AS first_ns, max(e) AS last_ns, sum(i) AS input, sum(o) AS output,
                 sumMap(p) AS priced, sum(rc) AS reported, sum(rs) AS reported_spans, sum(errs) AS errors
          FROM (${PER_TRACE})
          WHERE ${where.join(' AND ')}
          GROUP BY session ${after}
          ORDER BY last_ns DESC, session ASC
          LIMIT {limit:UInt32}`,
    params,
    tag: 'traces.sessions',
  });
  const page = rows.slice(0, q.limit).map(toSession);
  const last = page.at(-1);
  return { sessions: page, next: rows.length > q.limit && last ? { lastNs: last.lastNs, sessionId: last.sessionId } : null };
}

/** A session's traces, oldest first (at most MAX_SESSION_TRACES; `truncated` when there are more). */
export async function readSession(ch: ClickHouse, project: string, sessionId: string): Promise<{ traces: TraceSummaryRow[]; truncated: boolean }> {
  const rows = await ch.query<SummaryRecord>({
    sql: `SELECT trace_id, ${SUMMARY_COLUMNS}
          FROM trace_summaries
          WHERE project = {project:String}
            AND trace_id IN (SELECT trace_id FROM trace_summaries WHERE project = {project:String} AND has(session_ids, {session:String}))
          GROUP BY trace_id
          ORDER BY t_start ASC, trace_id ASC
          LIMIT {limit:UInt32}`,
    params: { project, session: sessionId, limit: MAX_SESSION_TRACES + 1 },
    tag: 'traces.session',
  });
  return { traces: rows.slice(0, MAX_SESSION_TRACES).map(toSummary), truncated: rows.length > MAX_SESSION_TRACES };
}
