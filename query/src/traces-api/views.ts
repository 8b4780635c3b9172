/**
 * Storage rows → the traces API's JSON. Every normalised field of a span (kind, model, tokens, cost, tool
 * name, messages) comes from `normalizeSpan` (../traces/normalize.ts). Costs of many spans (a trace, a
 * session, a model's row in stats) are priced here from the token sums storage aggregated: for each model,
 * tokens × the price table's price (`priceFor`, the lookup normalizeSpan uses), plus the costs spans
 * reported themselves; null when nothing could be priced and nothing was reported.
 */
import type { ModelTokens, SessionRow, SpanNodeRow, TraceSummaryRow } from '@mlrun/storage';
import type { NormalizedSpan } from '../traces/normalize.js';
import { normalizeSpan } from '../traces/normalize.js';
import type { PriceTable } from '../traces/prices.js';
import { priceFor } from '../traces/prices.js';

export const isoOfNs = (ns: bigint): string => new Date(Number(ns / 1_000_000n)).toISOString();
export const msOfNs = (ns: bigint): number => Number(ns) / 1e6;

/**
 * USD for token sums per model plus reported costs. Units are summed before dividing by a million, as
 * normalizeSpan does for one span, so a single-model trace costs exactly what its spans cost.
 */
export function costOf(tokens: readonly ModelTokens[], reportedCost: number, reportedSpans: number, prices: PriceTable): number | null {
  let units = 0;
  let priced = false;
  for (const t of tokens) {
    const price = t.model === '' ? null : priceFor(t.model, prices);
    if (!price) continue;
    units += t.inputTokens * price.inputPerMTok + t.outputTokens * price.outputPerMTok;
    priced = true;
  }
  if (!priced && reportedSpans === 0) return null;
  return (priced ? units / 1e6 : 0) + reportedCost;
}

export interface TraceSummaryJson {
  traceId: string;
  rootName: string | null;
  rootSpanId: string | null;
  service: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  runId: string | null;
  sessionId: string | null;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

export function summaryView(row: TraceSummaryRow, prices: PriceTable): TraceSummaryJson {
  return {
    traceId: row.traceId,
    rootName: row.rootName,
    rootSpanId: row.rootSpanId,
    service: row.service,
    startTime: isoOfNs(row.startNs),
    durationMs: msOfNs(row.endNs - row.startNs),
    spanCount: row.spanCount,
    errorCount: row.errorCount,
    runId: row.runId,
    sessionId: row.sessionId,
    models: [...row.models],
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cost: costOf(row.unpricedTokens, row.reportedCost, row.reportedSpans, prices),
  };
}

export function sessionView(row: SessionRow, prices: PriceTable) {
  return {
    sessionId: row.sessionId,
    traceCount: row.traceCount,
    firstTime: isoOfNs(row.firstNs),
    lastTime: isoOfNs(row.lastNs),
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cost: costOf(row.unpricedTokens, row.reportedCost, row.reportedSpans, prices),
    errorCount: row.errorCount,
  };
}

export type SpanStatus = 'unset' | 'ok' | 'error';
export const statusOf = (code: number): SpanStatus => (code === 2 ? 'error' : code === 1 ? 'ok' : 'unset');

export interface SpanNodeJson {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  startTime: string;
  startOffsetMs: number;
  durationMs: number;
  status: SpanStatus;
  statusMessage: string;
  kind: NormalizedSpan['kind'];
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  toolName: string | null;
  childCount: number;
  children: SpanNodeJson[] | null;
  /** Where the rest of `children` starts when the page cut the list at its limit (for the children route). */
  childrenCursor: string | null;
}

/** A tree node; `normalized` defaults to normalizeSpan over the node's (short) attributes. */
export function nodeView(row: SpanNodeRow, traceStartNs: bigint, childCount: number, prices: PriceTable, normalized?: NormalizedSpan): SpanNodeJson {
  const n = normalized ?? normalizeSpan({ name: row.name, kind: row.kind, attributes: row.attributes }, prices);
  return {
    spanId: row.spanId,
    parentSpanId: row.parentSpanId === '' ? null : row.parentSpanId,
    name: row.name,
    service: row.service,
    startTime: isoOfNs(row.startNs),
    startOffsetMs: msOfNs(row.startNs - traceStartNs),
    durationMs: msOfNs(row.durationNs),
    status: statusOf(row.statusCode),
    statusMessage: row.statusMessage,
    kind: n.kind,
    model: n.model,
    inputTokens: n.inputTokens,
    outputTokens: n.outputTokens,
    cost: n.cost?.total ?? null,
    toolName: n.toolName,
    childCount,
    children: null,
    childrenCursor: null,
  };
}
