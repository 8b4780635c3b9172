/**
 * The registry writer: applies run events to Postgres (the source of truth) in one transaction per batch,
 * then mirrors the changed rows into ClickHouse's `runs` (clickhouse/0011). Rows are locked in key order
 * (no deadlocks between concurrent receivers) and reduced in JS by the pure state machine (reduce.ts), so
 * replays write nothing. A failed mirror write leaves Postgres committed and the mirror behind; the next
 * write (and every start-up) first replays what the mirror misses (`syncRunMirror`).
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { PgQueryable, Postgres } from '../postgres/client.js';
import type { RunMirrorRow } from '../rows.js';
import type { Json, RunEvent } from './events.js';
import type { RunRecord } from './record.js';
import { mirrorRow, RUN_COLUMNS, stateOf, tombstoneRow, upsertInput } from './record.js';
import { reduceRun } from './reduce.js';

const UPSERT = `
INSERT INTO runs (project, id, name, run_group, status, config, tags, notes, created_at, started_at, ended_at,
                  last_seen_at, exit_code, host, summary, revision)
SELECT x.project, x.id, x.name, x.run_group, x.status, x.config, ARRAY(SELECT jsonb_array_elements_text(x.tags)),
       x.notes, to_timestamp(x.created_ms / 1000.0), to_timestamp(x.started_ms / 1000.0),
       to_timestamp(x.ended_ms / 1000.0), to_timestamp(x.last_seen_ms / 1000.0), x.exit_code, x.host, x.summary,
       nextval('run_revisions')
FROM jsonb_to_recordset($1::jsonb) AS x(project text, id text, name text, run_group text, status text, config jsonb,
     tags jsonb, notes text, created_ms float8, started_ms float8, ended_ms float8, last_seen_ms float8,
     exit_code integer, host jsonb, summary jsonb)
ORDER BY x.project, x.id
ON CONFLICT (project, id) DO UPDATE SET
    name = excluded.name, run_group = excluded.run_group, status = excluded.status, config = excluded.config,
    tags = excluded.tags, notes = excluded.notes, started_at = excluded.started_at, ended_at = excluded.ended_at,
    last_seen_at = excluded.last_seen_at, exit_code = excluded.exit_code, host = excluded.host,
    summary = excluded.summary, revision = excluded.revision
RETURNING ${RUN_COLUMNS}`;

type Grouped = Map<string, { project: string; runId: string; events: RunEvent[] }>;

function group(events: readonly RunEvent[]): Grouped {
  const runs: Grouped = new Map();
  for (const event of events) {
    const key = JSON.stringify([event.project, event.runId]);
    let run = runs.get(key);
    if (!run) runs.set(key, (run = { project: event.project, runId: event.runId, events: [] }));
    run.events.push(event);
  }
  return new Map([...runs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function lockRuns(tx: PgQueryable, runs: Grouped): Promise<Map<string, RunRecord>> {
  const list = [...runs.values()];
  const rows = await tx.query<RunRecord>({
    sql: `SELECT ${RUN_COLUMNS} FROM runs WHERE (project, id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
          ORDER BY project, id FOR UPDATE`,
    params: [list.map((r) => r.project), list.map((r) => r.runId)],
    tag: 'runs.lock',
  });
  return new Map(rows.map((r) => [JSON.stringify([r.project, r.id]), r]));
}

/** Applies events to Postgres; returns the rows that changed (new revision), in key order. */
export async function writeRunEvents(pg: Postgres, events: readonly RunEvent[]): Promise<RunRecord[]> {
  const runs = group(events);
  if (runs.size === 0) return [];
  const projects = [...new Set([...runs.values()].map((r) => r.project))].sort();
  return pg.transaction(async (tx) => {
    await tx.query({
      sql: 'INSERT INTO projects (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING',
      params: [projects],
      tag: 'projects.ensure',
    });
    const current = await lockRuns(tx, runs);
    const changes: Json[] = [];
    for (const [key, run] of runs) {
      const before = current.get(key);
      const next = reduceRun(before ? stateOf(before) : null, run.events);
      if (next) changes.push(upsertInput(run.project, run.runId, next));
    }
    if (changes.length === 0) return [];
    const written = await tx.query<RunRecord>({ sql: UPSERT, params: [JSON.stringify(changes)], tag: 'runs.upsert' });
    await tx.query({
      sql: 'UPDATE projects SET updated_at = now() WHERE name = ANY($1::text[])',
      params: [[...new Set(written.map((r) => r.project))]],
      tag: 'projects.touch',
    });
    return written;
  });
}

/**
 * Replays into the mirror every Postgres row and tombstone with a revision above `since` (default: the
 * mirror's highest revision). Returns how many rows it wrote. Cheap when nothing is missing.
 */
export async function syncRunMirror(pg: PgQueryable, ch: ClickHouse, since?: bigint): Promise<number> {
  let from = since;
  if (from === undefined) {
    const [top] = await ch.query<{ revision: string }>({ sql: 'SELECT toString(max(revision)) AS revision FROM runs', tag: 'runs.mirror_revision' });
    from = BigInt(top?.revision ?? '0');
  }
  const since_ = from.toString();
  const [records, tombstones] = await Promise.all([
    pg.query<RunRecord>({ sql: `SELECT ${RUN_COLUMNS} FROM runs WHERE revision > $1 ORDER BY revision`, params: [since_], tag: 'runs.since' }),
    pg.query<{ project: string; id: string; revision: string }>({
      sql: 'SELECT project, id, revision FROM run_tombstones WHERE revision > $1 ORDER BY revision',
      params: [since_],
      tag: 'run_tombstones.since',
    }),
  ]);
  const rows = [...records.map(mirrorRow), ...tombstones.map((t) => tombstoneRow(t.project, t.id, t.revision))];
  if (rows.length > 0) await ch.insert('runs', rows);
  return rows.length;
}

/** Metadata a user may edit (PATCH); `null` clears a field, an absent field is left alone. */
export interface RunPatch {
  readonly name?: string | null;
  readonly group?: string | null;
  readonly tags?: readonly string[];
  readonly notes?: string | null;
}

const PATCH_COLUMNS = { name: 'name', group: 'run_group', tags: 'tags', notes: 'notes' } as const;

async function patchRow(pg: Postgres, project: string, runId: string, patch: RunPatch): Promise<RunRecord | null> {
  const sets: string[] = [];
  const params: (string | null | readonly string[])[] = [project, runId];
  for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof RunPatch, string][]) {
    const value = patch[field];
    if (value === undefined) continue;
    params.push(Array.isArray(value) ? [...new Set(value as readonly string[])] : value);
    sets.push(`${column} = $${params.length}${field === 'tags' ? '::text[]' : ''}`);
  }
  const rows = await pg.transaction(async (tx) => {
    const updated = await tx.query<RunRecord>({
      sql: `UPDATE runs SET ${[...sets, "revision = nextval('run_revisions')"].join(', ')}
            WHERE project = $1 AND id = $2 RETURNING ${RUN_COLUMNS}`,
      params,
      tag: 'runs.patch',
    });
    if (updated.length > 0) await tx.query({ sql: 'UPDATE projects SET updated_at = now() WHERE name = $1', params: [project], tag: 'projects.touch' });
    return updated;
  });
  return rows[0] ?? null;
}

async function deleteRow(pg: Postgres, project: string, runId: string): Promise<string | null> {
  return pg.transaction(async (tx) => {
    const deleted = await tx.query({ sql: 'DELETE FROM runs WHERE project = $1 AND id = $2 RETURNING id', params: [project, runId], tag: 'runs.delete' });
    if (deleted.length === 0) return null;
    const [tombstone] = await tx.query<{ revision: string }>({
      sql: `INSERT INTO run_tombstones (project, id) VALUES ($1, $2)
            ON CONFLICT (project, id) DO UPDATE SET revision = nextval('run_revisions'), deleted_at = now()
            RETURNING revision`,
      params: [project, runId],
      tag: 'run_tombstones.add',
    });
    return tombstone?.revision ?? null;
  });
}

/**
 * The writer the receiver calls once per batch of events. Postgres first, then the mirror; when a mirror
 * write fails the error propagates (the batch is not acknowledged) and the next call catches the mirror up
 * before writing, since the replayed events will find nothing new to write.
 */
export class RunRegistryWriter {
  /**
   * Where the mirror may have a gap: undefined before the first write (catch up from the mirror's own
   * highest revision), null when up to date, else just below the lowest revision whose mirror write failed
   * (another process may have mirrored higher revisions since, so the mirror's maximum would skip the gap).
   */
  #behindFrom: bigint | null | undefined = undefined;

  constructor(
    private readonly pg: Postgres,
    private readonly ch: ClickHouse,
  ) {}

  async apply(events: readonly RunEvent[]): Promise<number> {
    const written = await writeRunEvents(this.pg, events);
    if (written.length === 0) return 0;
    await this.#mirror(written.map(mirrorRow));
    return written.length;
  }

  /** Edits a run's metadata; null when the run does not exist. */
  async patch(project: string, runId: string, patch: RunPatch): Promise<RunRecord | null> {
    const record = await patchRow(this.pg, project, runId, patch);
    if (record) await this.#mirror([mirrorRow(record)]);
    return record;
  }

  /** Removes a run from the registry (artifact records cascade); false when it did not exist. */
  async delete(project: string, runId: string): Promise<boolean> {
    const revision = await deleteRow(this.pg, project, runId);
    if (revision === null) return false;
    await this.#mirror([tombstoneRow(project, runId, revision)]);
    return true;
  }

  async #mirror(rows: readonly RunMirrorRow[]): Promise<void> {
    const lowest = rows.reduce((min, r) => (r.revision < min ? r.revision : min), rows[0]?.revision ?? 0n) - 1n;
    try {
      if (this.#behindFrom !== null) {
        await syncRunMirror(this.pg, this.ch, this.#behindFrom);
        this.#behindFrom = null;
      }
      await this.ch.insert('runs', rows);
    } catch (error) {
      const gap = this.#behindFrom;
      if (gap !== undefined) this.#behindFrom = gap === null || lowest < gap ? lowest : gap;
      throw error;
    }
  }
}
