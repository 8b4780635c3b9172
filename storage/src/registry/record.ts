/**
 * A run as the registry stores it: the Postgres row (`RunRecord`, as the client returns it), its state
 * for the reducer, and its snapshot for the ClickHouse read mirror.
 */
import type { RunMirrorRow } from '../rows.js';
import type { Json, JsonObject, RunStatus, SummaryOverride } from './events.js';
import type { RunState } from './reduce.js';

/** The run columns every registry statement returns (Postgres names). */
export const RUN_COLUMNS =
  'project, id, name, run_group, status, config, tags, notes, created_at, started_at, ended_at, last_seen_at, exit_code, host, summary, revision';

/** A `runs` row as the Postgres client returns it: timestamps as ISO-8601 UTC text, int8 as text. */
export interface RunRecord {
  readonly project: string;
  readonly id: string;
  readonly name: string | null;
  readonly run_group: string | null;
  readonly status: RunStatus;
  readonly config: JsonObject;
  readonly tags: readonly string[];
  readonly notes: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly last_seen_at: string | null;
  readonly exit_code: number | null;
  readonly host: JsonObject | null;
  readonly summary: { readonly [key: string]: SummaryOverride };
  readonly revision: string;
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

export function stateOf(r: RunRecord): RunState {
  return {
    name: r.name,
    group: r.run_group,
    status: r.status,
    config: r.config,
    tags: r.tags,
    notes: r.notes,
    createdMs: Date.parse(r.created_at),
    startedMs: ms(r.started_at),
    endedMs: ms(r.ended_at),
    lastSeenMs: ms(r.last_seen_at),
    exitCode: r.exit_code,
    host: r.host,
    summary: r.summary,
  };
}

/** The upsert's input for one run (jsonb_to_recordset column names). */
export function upsertInput(project: string, id: string, s: RunState): Record<string, Json> {
  return {
    project,
    id,
    name: s.name,
    run_group: s.group,
    status: s.status,
    config: s.config,
    tags: [...s.tags],
    notes: s.notes,
    created_ms: s.createdMs,
    started_ms: s.startedMs,
    ended_ms: s.endedMs,
    last_seen_ms: s.lastSeenMs,
    exit_code: s.exitCode,
    host: s.host,
    summary: s.summary as JsonObject,
  };
}

const JSON_TYPE = (value: Json): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** Leaf paths of a config (arrays are leaves), as JSON texts of their segments, with their JSON types. */
export function configLeaves(config: JsonObject): { keys: string[]; types: string[] } {
  const keys: string[] = [];
  const types: string[] = [];
  const walk = (value: Json, path: string[]): void => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && path.length < 32) {
      const entries = Object.entries(value);
      if (entries.length > 0 || path.length === 0) {
        for (const [key, child] of entries) walk(child, [...path, key]);
        return;
      }
    }
    keys.push(JSON.stringify(path));
    types.push(JSON_TYPE(value));
  };
  walk(config, []);
  return { keys, types };
}

function statMap(summary: RunRecord['summary'], stat: keyof SummaryOverride): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, override] of Object.entries(summary)) {
    const value = override[stat];
    if (typeof value === 'number') out.set(key, value);
  }
  return out;
}

export function mirrorRow(r: RunRecord): RunMirrorRow {
  const { keys, types } = configLeaves(r.config);
  return {
    project: r.project,
    id: r.id,
    name: r.name ?? '',
    group: r.run_group ?? '',
    status: r.status,
    tags: r.tags,
    notes: r.notes ?? '',
    config: JSON.stringify(r.config),
    configKeys: keys,
    configTypes: types,
    createdMs: Date.parse(r.created_at),
    startedMs: ms(r.started_at) ?? 0,
    endedMs: ms(r.ended_at) ?? 0,
    lastSeenMs: ms(r.last_seen_at) ?? 0,
    exitCode: r.exit_code,
    summaryLast: statMap(r.summary, 'last'),
    summaryMin: statMap(r.summary, 'min'),
    summaryMax: statMap(r.summary, 'max'),
    revision: BigInt(r.revision),
    deleted: false,
  };
}

/** The mirror row that records a deletion. */
export function tombstoneRow(project: string, id: string, revision: string): RunMirrorRow {
  const empty = new Map<string, number>();
  return {
    project,
    id,
    name: '',
    group: '',
    status: 'finished',
    tags: [],
    notes: '',
    config: '{}',
    configKeys: [],
    configTypes: [],
    createdMs: 0,
    startedMs: 0,
    endedMs: 0,
    lastSeenMs: 0,
    exitCode: null,
    summaryLast: empty,
    summaryMin: empty,
    summaryMax: empty,
    revision: BigInt(revision),
    deleted: true,
  };
}
