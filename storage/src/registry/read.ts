/**
 * Registry reads that are not the run list: one run and the project list from Postgres (the source of
 * truth), and the project's config key catalogue from the ClickHouse mirror (a columnar ARRAY JOIN over
 * every run's leaf paths).
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { PgQueryable } from '../postgres/client.js';
import type { RunStatus } from './events.js';
import type { RunRecord } from './record.js';
import { RUN_COLUMNS } from './record.js';

/** The status a reader shows: a `running` run silent for longer than `crashAfterMs` is `crashed`. */
export function effectiveStatus(record: Pick<RunRecord, 'status' | 'last_seen_at' | 'created_at'>, nowMs: number, crashAfterMs: number): RunStatus {
  if (record.status !== 'running') return record.status;
  const lastSeen = Date.parse(record.last_seen_at ?? record.created_at);
  return lastSeen < nowMs - crashAfterMs ? 'crashed' : 'running';
}

/** Milliseconds from start to end (now while running, last sight once crashed); null before a start. */
export function runDurationMs(record: RunRecord, status: RunStatus, nowMs: number): number | null {
  if (record.started_at === null) return null;
  const started = Date.parse(record.started_at);
  if (status === 'running') return nowMs - started;
  if (status === 'crashed') return Date.parse(record.last_seen_at ?? record.started_at) - started;
  return Date.parse(record.ended_at ?? record.last_seen_at ?? record.started_at) - started;
}

export async function getRun(pg: PgQueryable, project: string, runId: string): Promise<RunRecord | null> {
  const rows = await pg.query<RunRecord>({ sql: `SELECT ${RUN_COLUMNS} FROM runs WHERE project = $1 AND id = $2`, params: [project, runId], tag: 'runs.get' });
  return rows[0] ?? null;
}

/** Several runs of a project, in the order of `runIds` (missing ones left out). */
export async function getRuns(pg: PgQueryable, project: string, runIds: readonly string[]): Promise<RunRecord[]> {
  const rows = await pg.query<RunRecord>({
    sql: `SELECT ${RUN_COLUMNS} FROM runs WHERE project = $1 AND id = ANY($2::text[])`,
    params: [project, runIds],
    tag: 'runs.get_many',
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return runIds.flatMap((id) => byId.get(id) ?? []);
}

export interface ProjectSummary {
  readonly name: string;
  readonly createdAt: string;
  readonly runCount: number;
  /** Runs whose status reads `running` (seen within the crash timeout). */
  readonly runningCount: number;
  /** The latest sign of life of any run (or the project's creation). */
  readonly lastActivityAt: string;
}

/** Every project with run counts and last activity, most recently active first. */
export async function listProjects(pg: PgQueryable, nowMs: number, crashAfterMs: number): Promise<ProjectSummary[]> {
  const rows = await pg.query<{ name: string; created_at: string; run_count: string; running_count: string; last_activity_at: string }>({
    sql: `SELECT p.name, p.created_at,
                 count(r.id) AS run_count,
                 count(r.id) FILTER (WHERE r.status = 'running' AND coalesce(r.last_seen_at, r.created_at) >= to_timestamp($1 / 1000.0))
                   AS running_count,
                 greatest(p.updated_at, max(coalesce(r.last_seen_at, r.created_at))) AS last_activity_at
          FROM projects p LEFT JOIN runs r ON r.project = p.name
          GROUP BY p.name, p.created_at, p.updated_at
          ORDER BY last_activity_at DESC, p.name`,
    params: [nowMs - crashAfterMs],
    tag: 'projects.list',
  });
  return rows.map((r) => ({
    name: r.name,
    createdAt: r.created_at,
    runCount: Number(r.run_count),
    runningCount: Number(r.running_count),
    lastActivityAt: r.last_activity_at,
  }));
}

export interface ConfigKey {
  /** The key's path, one object key per segment. */
  readonly path: readonly string[];
  /** JSON types seen at this path (number, string, boolean, array, null, object for `{}`). */
  readonly types: readonly string[];
  /** Runs that have this key. */
  readonly runs: number;
}

/** Every config leaf path of a project's runs (objects with keys are not leaves), in path order (at most `limit`). */
/**
 * The highest revision among a project's rows in the runs mirror (0n when it has none). Revisions come from
 * one global Postgres sequence (registry/write.ts) and merges keep each run's highest, so this number
 * changes whenever a run of the project is written or deleted: a cheap test (one column of the project's
 * range, no FINAL) of whether an answer computed from the project's runs still holds.
 */
export async function readRunsRevision(ch: ClickHouse, project: string): Promise<bigint> {
  const [row] = await ch.query<{ r: string }>({
    sql: 'SELECT toString(max(revision)) AS r FROM runs WHERE project = {project:String}',
    params: { project },
    tag: 'runs.revision',
  });
  return BigInt(row?.r ?? '0');
}

export async function readConfigKeys(ch: ClickHouse, project: string, limit = 10_000): Promise<ConfigKey[]> {
  const rows = await ch.query<{ path: string; types: string[]; runs: string }>({
    sql: `SELECT path, arraySort(groupUniqArray(type)) AS types, count() AS runs
          FROM (SELECT config_kinds FROM runs FINAL WHERE project = {project:String} AND deleted = 0)
          ARRAY JOIN mapKeys(config_kinds) AS path, mapValues(config_kinds) AS type
          WHERE type != 'branch'
          GROUP BY path
          ORDER BY path
          LIMIT {limit:UInt32}`,
    params: { project, limit },
    tag: 'runs.config_keys',
  });
  return rows.map((r) => ({ path: JSON.parse(r.path) as string[], types: r.types, runs: Number(r.runs) }));
}
