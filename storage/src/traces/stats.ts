/**
 * Project trace statistics from `span_tree` (clickhouse/0014), whose per-span usage columns were computed at
 * ingest, so no attribute map is read: span and trace counts and the error rate, usage per model, and
 * latency percentiles (exact) and error rate per span name. Spans are those starting in [from, to), of one
 * run when asked. Token sums count the spans whose usage counts (`counted`), as trace sums do.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { QueryParamValue } from '../clickhouse/params.js';
import { float64, nsOfMs } from '../clickhouse/queries/values.js';

export interface StatsQuery {
  readonly project: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly runId?: string;
}

export interface ModelStats {
  readonly model: string;
  readonly spans: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Of those, the tokens of spans that reported no cost (priced by the caller's table). */
  readonly unpricedInputTokens: number;
  readonly unpricedOutputTokens: number;
  readonly reportedCost: number;
  readonly reportedSpans: number;
}

export interface SpanNameStats {
  readonly name: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly errorRate: number;
}

export interface TraceStats {
  readonly spanCount: number;
  readonly traceCount: number;
  readonly errorCount: number;
  /** By spans descending, then model; at most MAX_STATS_ROWS. */
  readonly byModel: readonly ModelStats[];
  /** By count descending, then name; at most MAX_STATS_ROWS. */
  readonly bySpanName: readonly SpanNameStats[];
}

export const MAX_STATS_ROWS = 200;

function scope(q: StatsQuery): { where: string; params: Record<string, QueryParamValue> } {
  const where = ['project = {project:String}'];
  const params: Record<string, QueryParamValue> = { project: q.project, limit: MAX_STATS_ROWS };
  if (q.fromMs !== undefined) {
    where.push('start_ns >= {from_ns:Int64}');
    params.from_ns = nsOfMs(q.fromMs);
  }
  if (q.toMs !== undefined) {
    where.push('start_ns < {to_ns:Int64}');
    params.to_ns = nsOfMs(q.toMs);
  }
  if (q.runId !== undefined) {
    where.push('run_id = {run_id:String}');
    params.run_id = q.runId;
  }
  return { where: where.join(' AND '), params };
}

interface ModelRecord {
  model: string;
  spans: string;
  i: string;
  o: string;
  ui: string;
  uo: string;
  rc: number | string;
  rs: string;
}

interface NameRecord {
  name: string;
  n: string;
  p: [number | string, number | string];
  errors: string;
}

export async function readTraceStats(ch: ClickHouse, q: StatsQuery): Promise<TraceStats> {
  const { where, params } = scope(q);
  const tokens = (col: string, unpriced: boolean) => `sumIf(ifNull(${col}, 0), counted${unpriced ? ' AND NOT cost_reported' : ''})`;
  const [totals, models, names] = await Promise.all([
    ch.query<{ spans: string; traces: string; errors: string }>({
      sql: `SELECT count() AS spans, uniqExact(trace_id) AS traces, countIf(status_code = 2) AS errors FROM span_tree WHERE ${where}`,
      params,
      tag: 'traces.stats_totals',
    }),
    ch.query<ModelRecord>({
      sql: `SELECT model, count() AS spans, ${tokens('input_tokens', false)} AS i, ${tokens('output_tokens', false)} AS o,
                   ${tokens('input_tokens', true)} AS ui, ${tokens('output_tokens', true)} AS uo,
                   sumIf(ifNull(reported_cost, 0), counted) AS rc, countIf(counted AND cost_reported) AS rs
            FROM span_tree WHERE ${where} AND model != ''
            GROUP BY model ORDER BY spans DESC, model ASC LIMIT {limit:UInt32}`,
      params,
      tag: 'traces.stats_models',
    }),
    ch.query<NameRecord>({
      sql: `SELECT name, count() AS n, quantilesExact(0.5, 0.95)(duration_ns / 1e6) AS p, countIf(status_code = 2) AS errors
            FROM span_tree WHERE ${where}
            GROUP BY name ORDER BY n DESC, name ASC LIMIT {limit:UInt32}`,
      params,
      tag: 'traces.stats_names',
    }),
  ]);
  const t = totals[0];
  return {
    spanCount: Number(t?.spans ?? 0),
    traceCount: Number(t?.traces ?? 0),
    errorCount: Number(t?.errors ?? 0),
    byModel: models.map((m) => ({
      model: m.model,
      spans: Number(m.spans),
      inputTokens: Number(m.i),
      outputTokens: Number(m.o),
      unpricedInputTokens: Number(m.ui),
      unpricedOutputTokens: Number(m.uo),
      reportedCost: float64(m.rc, 'rc'),
      reportedSpans: Number(m.rs),
    })),
    bySpanName: names.map((n) => ({
      name: n.name,
      count: Number(n.n),
      p50Ms: float64(n.p[0], 'p50'),
      p95Ms: float64(n.p[1], 'p95'),
      errorRate: Number(n.errors) / Number(n.n),
    })),
  };
}
