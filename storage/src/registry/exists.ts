/** Existence checks the API makes before touching a run's children (artifacts, logs, metrics). */
import type { PgQueryable } from '../postgres/client.js';

/** True when the run is in the registry (deleted runs are not). */
export async function runExists(pg: PgQueryable, project: string, runId: string): Promise<boolean> {
  const rows = await pg.query({ sql: 'SELECT 1 FROM runs WHERE project = $1 AND id = $2', params: [project, runId], tag: 'runs.exists' });
  return rows.length > 0;
}

/** True when the project is in the registry. */
export async function projectExists(pg: PgQueryable, project: string): Promise<boolean> {
  const rows = await pg.query({ sql: 'SELECT 1 FROM projects WHERE name = $1', params: [project], tag: 'projects.exists' });
  return rows.length > 0;
}
