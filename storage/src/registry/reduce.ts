/**
 * The run registry's state machine, pure: a run's state plus its events (in arrival order) → the next
 * state. Replaying events changes nothing (the registry is idempotent), and the rules only ever compare
 * event times with the state, never with the clock:
 *
 * - first sight creates the run as `running`, created at its earliest event;
 * - `seen` moves last_seen forward (never back);
 * - `start` sets the first start time, metadata and config; a start later than the run's end reopens it
 *   (resume) — its end time stays, so a replay of that old end is recognised as old;
 * - `end` applies when it is newer than the last end: status, end time, exit code;
 * - `config` deep-merges objects (other values replace); `summary` replaces the given statistics.
 *
 * `crashed` is never written here: readers show a `running` run silent past the timeout as crashed.
 */
import type { EndStatus, Json, JsonObject, RunEvent, RunFields, RunStatus, SummaryOverride } from './events.js';

export interface RunState {
  readonly name: string | null;
  readonly group: string | null;
  readonly status: RunStatus;
  readonly config: JsonObject;
  readonly tags: readonly string[];
  readonly notes: string | null;
  readonly createdMs: number;
  readonly startedMs: number | null;
  readonly endedMs: number | null;
  readonly lastSeenMs: number | null;
  readonly exitCode: number | null;
  readonly host: JsonObject | null;
  readonly summary: { readonly [key: string]: SummaryOverride };
}

/** last_seen moves by less than this without a write of its own (it only feeds crash detection). */
export const LAST_SEEN_RESOLUTION_MS = 5_000;

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key, recursively; anything else in `patch` replaces. */
export function deepMerge(base: JsonObject, patch: JsonObject): JsonObject {
  const out: { [key: string]: Json } = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function withFields(state: RunState, fields: RunFields): RunState {
  return {
    ...state,
    name: fields.name ?? state.name,
    group: fields.group ?? state.group,
    tags: fields.tags ? [...new Set(fields.tags)] : state.tags,
    notes: fields.notes ?? state.notes,
  };
}

function ended(state: RunState, time: number, status: EndStatus, exitCode: number | undefined): RunState {
  if (state.endedMs !== null && time <= state.endedMs) return state;
  return { ...state, status, endedMs: time, exitCode: exitCode ?? null };
}

function started(state: RunState, event: RunEvent & { kind: 'start' }): RunState {
  const next = withFields(state, event);
  const resumed = next.status !== 'running' && next.endedMs !== null && event.timeMs > next.endedMs;
  return {
    ...next,
    status: resumed ? 'running' : next.status,
    exitCode: resumed ? null : next.exitCode,
    startedMs: next.startedMs === null ? event.timeMs : Math.min(next.startedMs, event.timeMs),
    config: event.config ? deepMerge(next.config, event.config) : next.config,
    host: event.host ?? next.host,
  };
}

function summarized(state: RunState, values: { readonly [key: string]: SummaryOverride }): RunState {
  const summary: { [key: string]: SummaryOverride } = { ...state.summary };
  for (const [key, override] of Object.entries(values)) summary[key] = { ...summary[key], ...override };
  return { ...state, summary };
}

function apply(state: RunState, event: RunEvent): RunState {
  const seen = { ...state, lastSeenMs: Math.max(state.lastSeenMs ?? event.timeMs, event.timeMs) };
  switch (event.kind) {
    case 'seen':
      return seen.name === null && event.name ? { ...seen, name: event.name } : seen;
    case 'start':
      return started(seen, event);
    case 'config': {
      const next = withFields(seen, event);
      return event.config ? { ...next, config: deepMerge(next.config, event.config) } : next;
    }
    case 'end':
      return ended(seen, event.timeMs, event.status, event.exitCode);
    case 'summary':
      return summarized(seen, event.values);
  }
}

/** A run first seen through `events`. */
export function newRun(events: readonly RunEvent[]): RunState {
  const createdMs = Math.min(...events.map((e) => e.timeMs));
  return {
    name: null,
    group: null,
    status: 'running',
    config: {},
    tags: [],
    notes: null,
    createdMs,
    startedMs: null,
    endedMs: null,
    lastSeenMs: null,
    exitCode: null,
    host: null,
    summary: {},
  };
}

/**
 * The state after `events`, or null when nothing worth a write changed: only last_seen moved, and by
 * less than LAST_SEEN_RESOLUTION_MS.
 */
export function reduceRun(current: RunState | null, events: readonly RunEvent[]): RunState | null {
  if (events.length === 0) return null;
  const base = current ?? newRun(events);
  const next = events.reduce(apply, base);
  if (current === null) return next;
  const { lastSeenMs: before, ...restBefore } = current;
  const { lastSeenMs: after, ...restAfter } = next;
  const moved = (after ?? 0) - (before ?? 0) >= LAST_SEEN_RESOLUTION_MS || (before === null && after !== null);
  return moved || JSON.stringify(restBefore) !== JSON.stringify(restAfter) ? next : null;
}
