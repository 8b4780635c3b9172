/**
 * Registry rows → the API's run objects: display fields, read-time status and duration, the chosen config
 * paths and metric summaries (computed summaries from ClickHouse, explicit overrides winning per statistic).
 */
import type { JsonObject, MetricSummary, RunListRow, RunRecord, SummaryOverride } from '@mlrun/storage';
import { effectiveStatus, runDurationMs } from '@mlrun/storage';
import type { Static } from 'typebox';
import { metricNumber } from '../schemas/numbers.js';
import type { RunSchema, SummarySchema } from '../schemas/run.js';
import type { ColumnSelection } from './columns.js';
import { pickConfig } from './columns.js';

export type SummaryView = Static<typeof SummarySchema>;
export type RunView = Static<typeof RunSchema>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/** Postgres' microsecond ISO text, trimmed to the milliseconds the API promises everywhere. */
const isoText = (text: string | null): string | null => (text === null ? null : new Date(Date.parse(text)).toISOString());

/** Summaries by key (label-less series only, as the filter language sees them), overrides applied. */
export function summaryViews(
  computed: readonly MetricSummary[],
  overrides: { readonly [key: string]: SummaryOverride },
  keys: readonly string[] | null,
): { [key: string]: SummaryView } {
  const out: { [key: string]: SummaryView } = {};
  const wanted = keys === null ? null : new Set(keys);
  for (const s of computed) {
    if (s.labels !== '' || (wanted && !wanted.has(s.key))) continue;
    out[s.key] = { last: metricNumber(s.last), min: metricNumber(s.min), max: metricNumber(s.max), count: Number(s.count) };
  }
  for (const [key, o] of Object.entries(overrides)) {
    if (wanted && !wanted.has(key)) continue;
    const base = out[key] ?? { last: null, min: null, max: null, count: 0 };
    out[key] = {
      last: o.last === undefined ? base.last : metricNumber(o.last),
      min: o.min === undefined ? base.min : metricNumber(o.min),
      max: o.max === undefined ? base.max : metricNumber(o.max),
      count: base.count,
    };
  }
  return out;
}

/** A run of the list page. */
export function listRunView(row: RunListRow, columns: ColumnSelection, summaries: readonly MetricSummary[]): RunView {
  const config = JSON.parse(row.config) as JsonObject;
  const wantsSummary = columns.summary === null || columns.summary.length > 0;
  const wantsConfig = columns.config === null || columns.config.length > 0;
  return {
    id: row.id,
    name: row.name === '' ? null : row.name,
    group: row.group,
    status: row.status,
    tags: [...row.tags],
    notes: row.notes,
    createdAt: new Date(row.createdMs).toISOString(),
    startedAt: iso(row.startedMs),
    endedAt: iso(row.endedMs),
    lastSeenAt: iso(row.lastSeenMs),
    durationMs: row.durationMs,
    exitCode: row.exitCode,
    ...(wantsConfig ? { config: pickConfig(config, columns.config) } : {}),
    ...(wantsSummary ? { summary: summaryViews(summaries, row.summaryOverrides, columns.summary) } : {}),
  };
}

/** One run, in full (config, summaries, host). */
export function runView(record: RunRecord, summaries: readonly MetricSummary[] | null, nowMs: number, crashAfterMs: number): RunView {
  const status = effectiveStatus(record, nowMs, crashAfterMs);
  return {
    id: record.id,
    name: record.name,
    group: record.run_group,
    status,
    tags: [...record.tags],
    notes: record.notes,
    createdAt: isoText(record.created_at) as string,
    startedAt: isoText(record.started_at),
    endedAt: status === 'running' ? null : isoText(record.ended_at),
    lastSeenAt: isoText(record.last_seen_at),
    durationMs: runDurationMs(record, status, nowMs),
    exitCode: record.exit_code,
    config: record.config,
    ...(summaries === null ? {} : { summary: summaryViews(summaries, record.summary, null) }),
    host: record.host,
  };
}
