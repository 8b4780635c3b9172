/**
 * Trace search: a project's traces newest first (start time descending, then trace id), filtered, one
 * keyset page at a time. Two statements, as the run list does: the page's trace ids from the aggregated
 * start/end of `trace_summaries` (only the columns the filters need are aggregated, and only their sort is
 * paid for), then those traces' full summaries by id.
 *
 * Filters:
 * - on the trace (its aggregated start, end and status counts): from/to (the trace's start in [from, to)),
 *   duration range, status — HAVING over the project's aggregated rows;
 * - "some span has …": run id, model and status error read `trace_summaries` rows (any row saying so is
 *   enough); name, service and the filter expression (attributes) read `spans`, whose sort key begins with
 *   the hour, so a time window reads only its hours; each
 *   becomes a `trace_id IN (…)` set that the summary table's sort key turns into point reads. A trace
 *   matches the filter expression when one of its spans matches all of it. With `from`, spans before it
 *   are skipped: every span of a trace starts at or after the trace's start.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import { nsOfMs } from '../clickhouse/queries/values.js';
import type { QueryParamValue } from '../clickhouse/params.js';
import type { Filter } from '../filter/ast.js';
import { compileFilter } from '../filter/compile.js';
import { clickHouseQueryParams } from '../filter/params.js';
import { SPAN_FILTER_TARGET } from './filter-target.js';
import type { TraceSummaryRow } from './summaries.js';
import { readTraceSummaries } from './summaries.js';

export type TraceStatus = 'ok' | 'error' | 'unset';

/** A keyset position in the newest-first order. */
export interface TraceCursor {
  readonly startNs: bigint;
  readonly traceId: string;
}

export interface TraceSearch {
  readonly project: string;
  /** The trace's start ≥ from (ms since the epoch). */
  readonly fromMs?: number;
  /** The trace's start < to. */
  readonly toMs?: number;
  /** Some span of the trace comes from this service. */
  readonly service?: string;
  /** Some span of the trace (the root or any other) has this name. */
  readonly name?: string;
  /** error: some span failed; ok: none failed and some span says ok; unset: no span set a status. */
  readonly status?: TraceStatus;
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** Some span of the trace belongs to this run. */
  readonly runId?: string;
  /** Some span of the trace named this model. */
  readonly model?: string;
  /** The traces filter (some span matches the whole expression); null: none. */
  readonly filter: Filter;
  readonly limit: number;
  readonly after?: TraceCursor;
}

export interface TracePage {
  readonly traces: readonly TraceSummaryRow[];
  readonly next: TraceCursor | null;
}

const HOUR_NS = 3_600_000_000_000n;
/**
 * A search statement's time limit: a regex over every message of a big project can read for minutes, and
 * an embedded ClickHouse runs one statement at a time — the API answers 503 instead of stalling the rest.
 */
export const SEARCH_TIMEOUT_S = 10;
/** Windows back from the anchor that a search with span filters tries in turn (then everything). */
const WINDOWS_NS = [1n, 24n, 720n].map((h) => h * HOUR_NS);

/**
 * `trace_id IN (…)` sets for "some span has …". `since` (a search window's start) bounds the spans read:
 * every span of a trace starting at or after it starts at or after it too.
 */
function spanSets(q: TraceSearch, since: bigint | undefined, params: Record<string, QueryParamValue>): string[] {
  const sets: string[] = [];
  const summaries = (condition: string) => `trace_id IN (SELECT trace_id FROM trace_summaries WHERE project = {project:String} AND ${condition})`;
  // spans, not span_tree: its sort key starts (project, hour), so `since` reads only the window's hours.
  const from = since === undefined ? '' : ' AND timestamp >= fromUnixTimestamp64Nano({since:Int64})';
  const spans = (condition: string) => `trace_id IN (SELECT trace_id FROM spans WHERE project = {project:String}${from} AND ${condition})`;
  if (q.runId !== undefined) sets.push(summaries('has(run_ids, {run_id:String})'));
  if (q.model !== undefined) sets.push(summaries('has(models, {model:String})'));
  if (q.status === 'error') sets.push(summaries('error_count > 0'));
  if (q.name !== undefined) sets.push(spans('name = {name:String}'));
  if (q.service !== undefined) sets.push(spans('service_name = {service:String}'));
  if (q.filter !== null) {
    const compiled = compileFilter(q.filter, SPAN_FILTER_TARGET);
    Object.assign(params, clickHouseQueryParams(compiled));
    sets.push(spans(compiled.sql));
  }
  return sets;
}

function having(q: TraceSearch, since: bigint | undefined): string[] {
  const out: string[] = [];
  if (since !== undefined) out.push('t_start >= {since:Int64}');
  if (q.toMs !== undefined) out.push('t_start < {to_ns:Int64}');
  if (q.minDurationMs !== undefined) out.push('t_end - t_start >= {min_ns:Int64}');
  if (q.maxDurationMs !== undefined) out.push('t_end - t_start <= {max_ns:Int64}');
  if (q.status === 'ok') out.push('sum(error_count) = 0 AND sum(ok_count) > 0');
  if (q.status === 'unset') out.push('sum(error_count) = 0 AND sum(ok_count) = 0');
  if (q.after !== undefined) out.push('(t_start < {c_start:Int64} OR (t_start = {c_start:Int64} AND trace_id > {c_trace:String}))');
  return out;
}

/** Drops the undefined entries (optional parameters a statement does not use). */
function defined(params: Record<string, QueryParamValue | undefined>): Record<string, QueryParamValue> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, QueryParamValue] => e[1] !== undefined));
}

/** Up to limit + 1 (trace id, start) of the page, among traces starting at or after `since`. */
async function pageKeys(ch: ClickHouse, q: TraceSearch, since: bigint | undefined): Promise<{ trace_id: string; t_start: string }[]> {
  const params: Record<string, QueryParamValue> = {};
  const where = ['project = {project:String}', ...spanSets(q, since, params)];
  const conditions = having(q, since);
  return ch.query<{ trace_id: string; t_start: string }>({
    sql: `SELECT trace_id, min(start_ns) AS t_start, max(end_ns) AS t_end
          FROM trace_summaries WHERE ${where.join(' AND ')}
          GROUP BY trace_id
          ${conditions.length > 0 ? `HAVING ${conditions.join(' AND ')}` : ''}
          ORDER BY t_start DESC, trace_id ASC
          LIMIT {limit:UInt32}`,
    timeoutS: SEARCH_TIMEOUT_S,
    params: defined({
      ...params,
      project: q.project,
      limit: q.limit + 1,
      since,
      to_ns: q.toMs === undefined ? undefined : nsOfMs(q.toMs),
      min_ns: q.minDurationMs === undefined ? undefined : nsOfMs(q.minDurationMs),
      max_ns: q.maxDurationMs === undefined ? undefined : nsOfMs(q.maxDurationMs),
      run_id: q.runId,
      model: q.model,
      name: q.name,
      service: q.service,
      c_start: q.after?.startNs,
      c_trace: q.after?.traceId,
    }),
    tag: 'traces.search',
  });
}

/** The newest trace start a page can hold: the least of the cursor's, `to` and the project's newest (an upper bound). */
async function anchorOf(ch: ClickHouse, q: TraceSearch): Promise<bigint | null> {
  const [row] = await ch.query<{ newest: string }>({
    sql: 'SELECT toString(max(start_ns)) AS newest FROM trace_summaries WHERE project = {project:String} HAVING count() > 0',
    params: { project: q.project },
    tag: 'traces.search_anchor',
  });
  if (row === undefined) return null;
  const bounds = [BigInt(row.newest), q.after?.startNs, q.toMs === undefined ? undefined : nsOfMs(q.toMs)].filter((b): b is bigint => b !== undefined);
  return bounds.reduce((a, b) => (a < b ? a : b));
}

/**
 * The page's keys. Without span-level filters, one statement over the aggregated summaries. With them,
 * growing time windows back from the anchor (1 h, 24 h, 30 days, then everything, never before `from`):
 * a window that yields a full page holds exactly the newest matches — every match outside it starts
 * earlier — so a broad filter reads the newest hours of spans instead of all of them; a rare match costs
 * the windows it passes through, then one unbounded read.
 */
async function searchKeys(ch: ClickHouse, q: TraceSearch): Promise<{ trace_id: string; t_start: string }[]> {
  const from = q.fromMs === undefined ? undefined : nsOfMs(q.fromMs);
  const spanLevel = q.filter !== null || q.name !== undefined || q.service !== undefined;
  const anchor = spanLevel ? await anchorOf(ch, q) : null;
  if (anchor !== null) {
    for (const width of WINDOWS_NS) {
      const since = anchor - width;
      if (from !== undefined && since <= from) break;
      const keys = await pageKeys(ch, q, since);
      if (keys.length > q.limit) return keys;
    }
  }
  return pageKeys(ch, q, from);
}

/** One page of a project's traces. Throws FilterCompileError for a filter the span target cannot express. */
export async function searchTraces(ch: ClickHouse, q: TraceSearch): Promise<TracePage> {
  const keys = await searchKeys(ch, q);
  const page = keys.slice(0, q.limit);
  const byId = new Map((await readTraceSummaries(ch, q.project, page.map((k) => k.trace_id))).map((s) => [s.traceId, s]));
  const last = page.at(-1);
  const next = keys.length > q.limit && last ? { startNs: BigInt(last.t_start), traceId: last.trace_id } : null;
  return { traces: page.flatMap((k) => byId.get(k.trace_id) ?? []), next };
}
