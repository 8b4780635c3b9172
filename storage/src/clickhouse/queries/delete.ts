/**
 * Deleting a run's telemetry: a lightweight DELETE per table that holds run rows (raw signals and the
 * views' summaries and rollups). Traces go whole: every trace a span of the run belongs to is deleted from
 * spans, span_tree and trace_summaries — with the spans of it that named no run (an HTTP root above the
 * run's work), so no trace is left without its summary or with half of one (trace_summaries.run_ids,
 * clickhouse/0017). Rows vanish from reads at once and from disk at the next merge. The project key
 * catalogue (metric_keys) keeps its counts: it is a catalogue of keys ever logged.
 */
import type { ClickHouse } from '../client.js';

/** Tables keyed by (project, run_id); names are constants, never input. */
const RUN_TABLES = [
  'logs',
  'metric_points',
  'metrics_number',
  'metrics_histogram',
  'metrics_exp_histogram',
  'metrics_summary',
  'metric_summaries',
  'metric_rollups',
] as const;

/** Trace tables, trace_summaries last: the set of the run's traces is read from it. */
const TRACE_TABLES = ['spans', 'span_tree', 'trace_summaries'] as const;
const RUN_TRACES = 'SELECT trace_id FROM trace_summaries WHERE project = {project:String} AND has(run_ids, {runId:String})';

export async function deleteRunTelemetry(ch: ClickHouse, project: string, runId: string): Promise<void> {
  if (runId === '') throw new RangeError('deleteRunTelemetry: an empty run id would match project-level telemetry');
  for (const table of TRACE_TABLES) {
    await ch.command({
      sql: `DELETE FROM ${table} WHERE project = {project:String} AND (run_id = {runId:String} OR trace_id IN (${RUN_TRACES}))`,
      params: { project, runId },
      tag: `runs.delete_telemetry.${table}`,
    });
  }
  for (const table of RUN_TABLES) {
    await ch.command({
      sql: `DELETE FROM ${table} WHERE project = {project:String} AND run_id = {runId:String}`,
      params: { project, runId },
      tag: `runs.delete_telemetry.${table}`,
    });
  }
}
