/**
 * Deleting a run's telemetry: a lightweight DELETE per table that holds run rows (raw signals and the
 * views' summaries, rollups, span tree and trace summaries; a trace summary row goes when its spans
 * named the run). Rows vanish from reads at once and from disk at the next merge. The
 * project key catalogue (metric_keys) keeps its counts: it is a catalogue of keys ever logged.
 */
import type { ClickHouse } from '../client.js';

/** Tables keyed by (project, run_id); names are constants, never input. */
const RUN_TABLES = [
  'spans',
  'logs',
  'metric_points',
  'metrics_number',
  'metrics_histogram',
  'metrics_exp_histogram',
  'metrics_summary',
  'metric_summaries',
  'metric_rollups',
  'span_tree',
  'trace_summaries',
] as const;

export async function deleteRunTelemetry(ch: ClickHouse, project: string, runId: string): Promise<void> {
  if (runId === '') throw new RangeError('deleteRunTelemetry: an empty run id would match project-level telemetry');
  for (const table of RUN_TABLES) {
    await ch.command({
      sql: `DELETE FROM ${table} WHERE project = {project:String} AND run_id = {runId:String}`,
      params: { project, runId },
      tag: `runs.delete_telemetry.${table}`,
    });
  }
}
