/**
 * Deleting a run's telemetry: a lightweight DELETE per table that holds run rows (raw signals and the
 * views' summaries and rollups). Rows vanish from reads at once and from disk at the next merge. The
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
