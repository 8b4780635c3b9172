/**
 * Artifact records (the `artifacts` table): one row per (project, run, path), pointing at the bytes in
 * object storage. Writers store the bytes first and record them after, so a record never names bytes that
 * were not completely written; a re-PUT of a path replaces its record.
 */
import type { PgQueryable } from '../postgres/client.js';

export interface ArtifactRecord {
  readonly project: string;
  readonly runId: string;
  /** `/`-separated, relative (the object key rules of objects/keys.ts). */
  readonly path: string;
  /** What it is to the user (`model`, `dataset`, `checkpoint`, …); null when not given. */
  readonly type: string | null;
  readonly uri: string;
  readonly sha256: string | null;
  readonly sizeBytes: number | null;
  /** When this version was recorded: ISO-8601 UTC with microseconds. */
  readonly createdAt: string;
}

export type NewArtifact = Omit<ArtifactRecord, 'createdAt'>;

export interface ListArtifactsRequest {
  readonly project: string;
  readonly runId: string;
  /** Only paths starting with this text (`checkpoints/`); '' or unset = all. */
  readonly prefix?: string;
  /** Keyset cursor: only paths after this one (the last path of the previous page). */
  readonly after?: string;
  readonly limit: number;
}

interface Row {
  project: string;
  run_id: string;
  path: string;
  type: string | null;
  uri: string;
  sha256: string | null;
  size_bytes: string | null;
  created_at: string;
}

const COLUMNS = 'project, run_id, path, type, uri, sha256, size_bytes, created_at';

const toRecord = (r: Row): ArtifactRecord => ({
  project: r.project,
  runId: r.run_id,
  path: r.path,
  type: r.type,
  uri: r.uri,
  sha256: r.sha256,
  // int8 comes back as exact text; sizes stay far below 2^53.
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  createdAt: r.created_at,
});

/**
 * Inserts or replaces the record of `artifact.path`. Returns null (and writes nothing) when the run is not
 * in the registry, so a run deleted during an upload reads as "no such run" rather than a foreign-key error.
 */
export async function upsertArtifact(pg: PgQueryable, a: NewArtifact): Promise<ArtifactRecord | null> {
  const rows = await pg.query<Row>({
    sql: `INSERT INTO artifacts (project, run_id, path, type, uri, sha256, size_bytes)
          SELECT $1, $2, $3, $4, $5, $6, $7::bigint
          WHERE EXISTS (SELECT 1 FROM runs WHERE project = $1 AND id = $2)
          ON CONFLICT (project, run_id, path) DO UPDATE
            SET type = EXCLUDED.type, uri = EXCLUDED.uri, sha256 = EXCLUDED.sha256,
                size_bytes = EXCLUDED.size_bytes, created_at = now()
          RETURNING ${COLUMNS}`,
    params: [a.project, a.runId, a.path, a.type, a.uri, a.sha256, a.sizeBytes],
    tag: 'artifacts.upsert',
  });
  return rows[0] === undefined ? null : toRecord(rows[0]);
}

export async function getArtifact(pg: PgQueryable, project: string, runId: string, path: string): Promise<ArtifactRecord | null> {
  const rows = await pg.query<Row>({
    sql: `SELECT ${COLUMNS} FROM artifacts WHERE project = $1 AND run_id = $2 AND path = $3`,
    params: [project, runId, path],
    tag: 'artifacts.get',
  });
  return rows[0] === undefined ? null : toRecord(rows[0]);
}

/**
 * A run's artifacts in path order (byte-wise), `limit` at most, after the cursor. The primary key serves
 * it: `path >= prefix` bounds the index range, `starts_with` keeps the prefix (no LIKE escaping needed),
 * and '' as the cursor means "from the start" because paths are never empty.
 */
export async function listArtifacts(pg: PgQueryable, request: ListArtifactsRequest): Promise<ArtifactRecord[]> {
  const prefix = request.prefix ?? '';
  const rows = await pg.query<Row>({
    sql: `SELECT ${COLUMNS} FROM artifacts
          WHERE project = $1 AND run_id = $2 AND path >= $3 AND starts_with(path, $3) AND path > $4
          ORDER BY path
          LIMIT $5`,
    params: [request.project, request.runId, prefix, request.after ?? '', request.limit],
    tag: 'artifacts.list',
  });
  return rows.map(toRecord);
}

/**
 * The first recorded path that `path` cannot coexist with in a file system: one of its parent folders
 * recorded as an artifact (`a` for `a/b`), or an artifact under `path` taken as a folder (`a/b` for `a`).
 * Both stores refuse such pairs alike (S3 could hold them; a local folder cannot), so a run's artifacts
 * move between modes unchanged.
 */
export async function conflictingArtifactPath(pg: PgQueryable, project: string, runId: string, path: string): Promise<string | null> {
  const segments = path.split('/');
  const parents = segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'));
  const rows = await pg.query<{ path: string }>({
    sql: `SELECT path FROM artifacts
          WHERE project = $1 AND run_id = $2
            AND (path = ANY($3::text[]) OR (path > $4 AND starts_with(path, $4)))
          ORDER BY path
          LIMIT 1`,
    params: [project, runId, parents, `${path}/`],
    tag: 'artifacts.conflict',
  });
  return rows[0]?.path ?? null;
}

/** Removes one record; false when there was none. */
export async function deleteArtifact(pg: PgQueryable, project: string, runId: string, path: string): Promise<boolean> {
  const rows = await pg.query({
    sql: 'DELETE FROM artifacts WHERE project = $1 AND run_id = $2 AND path = $3 RETURNING path',
    params: [project, runId, path],
    tag: 'artifacts.delete',
  });
  return rows.length > 0;
}

/** Removes every record of a run and says how many (the caller removes the bytes: objects' deletePrefix). */
export async function deleteRunArtifacts(pg: PgQueryable, project: string, runId: string): Promise<number> {
  const rows = await pg.query({
    sql: 'DELETE FROM artifacts WHERE project = $1 AND run_id = $2 RETURNING path',
    params: [project, runId],
    tag: 'artifacts.delete_run',
  });
  return rows.length;
}
