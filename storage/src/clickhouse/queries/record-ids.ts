/**
 * Reads of `record_ids` (migration 0013): which `mlrun.record.id`s of a project were already stored. The
 * receiver asks once per request for the ids it does not know in memory, and drops the records found.
 */
import type { ClickHouse } from '../client.js';
import { text } from './values.js';

/**
 * Ids per statement: they travel as one Array(String) parameter, and a server takes parameters in the URL
 * (`http_max_uri_size`, 1 MiB by default), so a larger request is looked up in slices.
 */
export const RECORD_ID_LOOKUP_SLICE = 10_000;

/** The subset of `ids` already stored for `project` (empty when `ids` is). */
export async function knownRecordIds(ch: ClickHouse, project: string, ids: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let start = 0; start < ids.length; start += RECORD_ID_LOOKUP_SLICE) {
    const rows = await ch.query<{ record_id: unknown }>({
      sql: `SELECT DISTINCT record_id FROM record_ids
            WHERE project = {project:String} AND record_id IN {ids:Array(String)}`,
      params: { project, ids: ids.slice(start, start + RECORD_ID_LOOKUP_SLICE) },
      tag: 'record_ids.known',
    });
    for (const row of rows) known.add(text(row.record_id, 'record_id'));
  }
  return known;
}
