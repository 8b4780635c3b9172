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

/** A config flattened for the mirror: every path's JSON type, and scalar values by type. */
export interface FlatConfig {
  readonly kinds: Map<string, string>;
  readonly num: Map<string, number>;
  readonly str: Map<string, string>;
  readonly bool: Map<string, boolean>;
}

/** Paths nest at most this deep in the mirror (deeper values stay in the JSON, unfilterable). */
const MAX_DEPTH = 32;

function kindOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return Object.keys(value).length > 0 ? 'branch' : 'object';
  return typeof value;
}

/** Every path of a config (arrays are leaves) keyed by the JSON text of its segments. */
export function flattenConfig(config: JsonObject): FlatConfig {
  const flat: FlatConfig = { kinds: new Map(), num: new Map(), str: new Map(), bool: new Map() };
  const walk = (value: Json, path: readonly string[]): void => {
    const key = JSON.stringify(path);
    const kind = kindOf(value);
    flat.kinds.set(key, kind);
    if (typeof value === 'number') flat.num.set(key, value);
    else if (typeof value === 'string') flat.str.set(key, value);
    else if (typeof value === 'boolean') flat.bool.set(key, value);
    else if (kind === 'branch' && path.length < MAX_DEPTH) for (const [k, child] of Object.entries(value as JsonObject)) walk(child, [...path, k]);
  };
  for (const [k, child] of Object.entries(config)) walk(child, [k]);
  return flat;
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
  const flat = flattenConfig(r.config);
  return {
    project: r.project,
    id: r.id,
    name: r.name ?? '',
    group: r.run_group ?? '',
    status: r.status,
    tags: r.tags,
    notes: r.notes ?? '',
    config: JSON.stringify(r.config),
    configKinds: flat.kinds,
    configNum: flat.num,
    configStr: flat.str,
    configBool: flat.bool,
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
    configKinds: new Map(),
    configNum: empty,
    configStr: new Map(),
    configBool: new Map(),
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
