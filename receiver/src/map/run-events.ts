/**
 * OTLP → run registry events (docs/semantic-conventions.md, "Run lifecycle"). Pure. Every resource block
 * that names a run is a sighting (one per run and request); `mlrun.run.start`, `mlrun.run.config`,
 * `mlrun.run.end` and `mlrun.summary` log records carry metadata. The records themselves are still stored
 * in `logs` as sent: the registry is derived from them, never the other way round.
 */
import type { IAnyValue, IKeyValue, ILogRecord, IResource } from '@mlrun/proto';
import type { Attribution, EndStatus, Json, JsonObject, RunEvent, RunFields, SummaryOverride } from '@mlrun/storage';
import type { RequestContext } from './attribution.js';
import { ResourceKeys } from './attribution.js';
import type { Notes } from './outcome.js';
import { anyValueCase, stringAttribute, toNanos } from './values.js';

export const RunEventNames = {
  start: 'mlrun.run.start',
  config: 'mlrun.run.config',
  end: 'mlrun.run.end',
  summary: 'mlrun.summary',
} as const;

const RUN_EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(RunEventNames));
const END_STATUSES: ReadonlySet<string> = new Set<EndStatus>(['finished', 'failed', 'killed']);
const NANOS_PER_MS = 1_000_000n;

export function isRunEvent(eventName: string | null | undefined): boolean {
  return eventName !== null && eventName !== undefined && RUN_EVENT_NAMES.has(eventName);
}

/** An AnyValue as plain JSON: KvList → object, int → number (text past 2^53), non-finite → text, bytes → base64. */
export function plainJson(value: IAnyValue | null | undefined): Json {
  if (!value) return null;
  switch (anyValueCase(value)) {
    case 'stringValue':
      return value.stringValue as string;
    case 'boolValue':
      return value.boolValue === true;
    case 'intValue': {
      const n = toNanos(value.intValue);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case 'doubleValue': {
      const d = value.doubleValue as number;
      return Number.isFinite(d) ? d : String(d);
    }
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(plainJson);
    case 'kvlistValue':
      return plainObject(value.kvlistValue?.values);
    case 'bytesValue':
      return Buffer.from(value.bytesValue as Uint8Array).toString('base64');
    default:
      return null;
  }
}

function plainObject(list: readonly IKeyValue[] | null | undefined): JsonObject {
  const out: { [key: string]: Json } = {};
  for (const kv of list ?? []) out[kv.key ?? ''] = plainJson(kv.value);
  return out;
}

function find(list: readonly IKeyValue[] | null | undefined, key: string): IAnyValue | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]?.key === key) return list[i]?.value ?? undefined;
  return undefined;
}

function numberOf(value: IAnyValue | null | undefined): number | undefined {
  if (!value) return undefined;
  const c = anyValueCase(value);
  if (c === 'doubleValue') return value.doubleValue as number;
  if (c === 'intValue') return Number(toNanos(value.intValue));
  return undefined;
}

function fields(attributes: readonly IKeyValue[] | null | undefined): RunFields {
  const tags = plainJson(find(attributes, 'mlrun.run.tags'));
  return {
    name: stringAttribute(attributes, ResourceKeys.runName),
    group: stringAttribute(attributes, 'mlrun.run.group'),
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : undefined,
    notes: stringAttribute(attributes, 'mlrun.run.notes'),
  };
}

function configOf(record: ILogRecord, notes: Notes): JsonObject | undefined {
  const body = record.body;
  if (!body || anyValueCase(body) === undefined) return undefined;
  const config = plainJson(body);
  if (typeof config === 'object' && config !== null && !Array.isArray(config)) return config as JsonObject;
  notes.note(`${record.eventName ?? ''}: the body must be a KvList (the config); ignored`);
  return undefined;
}

/** `mlrun.summary`: numeric attributes override `last`; a KvList body may give {key: {last, min, max}}. */
function summaryOf(record: ILogRecord, notes: Notes): { [key: string]: SummaryOverride } {
  const values: { [key: string]: SummaryOverride } = {};
  const finite = (key: string, n: number | undefined): n is number => {
    if (n === undefined) return false;
    if (Number.isFinite(n)) return true;
    notes.note(`mlrun.summary: ${key} is not a finite number; ignored`);
    return false;
  };
  for (const kv of record.attributes ?? []) {
    const key = kv.key ?? '';
    const n = numberOf(kv.value);
    if (finite(key, n)) values[key] = { last: n };
  }
  const body = record.body?.kvlistValue?.values;
  for (const kv of body ?? []) {
    const key = kv.key ?? '';
    const stats: { last?: number; min?: number; max?: number } = {};
    for (const stat of ['last', 'min', 'max'] as const) {
      const n = numberOf(find(kv.value?.kvlistValue?.values, stat));
      if (finite(`${key}.${stat}`, n)) stats[stat] = n;
    }
    if (Object.keys(stats).length > 0) values[key] = { ...values[key], ...stats };
  }
  return values;
}

function timeMs(record: ILogRecord, context: RequestContext): number {
  const ns = toNanos(record.timeUnixNano) || toNanos(record.observedTimeUnixNano) || context.receivedAt;
  return Number(ns / NANOS_PER_MS);
}

/** The registry event of an `mlrun.run.*` / `mlrun.summary` record of a run; undefined when malformed. */
export function runEventOf(record: ILogRecord, owner: Attribution, context: RequestContext, notes: Notes): RunEvent | undefined {
  if (owner.runId === '') {
    notes.note(`${record.eventName ?? ''} without mlrun.run.id on its resource: stored, but no run to apply it to`);
    return undefined;
  }
  const base = { project: owner.project, runId: owner.runId, timeMs: timeMs(record, context) };
  const attributes = record.attributes;
  switch (record.eventName) {
    case RunEventNames.start: {
      const host = plainJson(find(attributes, 'mlrun.run.host'));
      const hostObject = typeof host === 'object' && host !== null && !Array.isArray(host) ? (host as JsonObject) : undefined;
      return { kind: 'start', ...base, ...fields(attributes), config: configOf(record, notes), host: hostObject };
    }
    case RunEventNames.config:
      return { kind: 'config', ...base, ...fields(attributes), config: configOf(record, notes) };
    case RunEventNames.end: {
      const status = stringAttribute(attributes, 'mlrun.run.status') ?? 'finished';
      if (!END_STATUSES.has(status)) {
        notes.note(`mlrun.run.end: mlrun.run.status must be finished, failed or killed, not ${JSON.stringify(status)}; ignored`);
        return undefined;
      }
      const exitCode = numberOf(find(attributes, 'mlrun.run.exit_code'));
      return { kind: 'end', ...base, status: status as EndStatus, exitCode: exitCode !== undefined && Number.isInteger(exitCode) ? exitCode : undefined };
    }
    case RunEventNames.summary:
      return { kind: 'summary', ...base, values: summaryOf(record, notes) };
    default:
      return undefined;
  }
}

/** Collects one request's run events: a sighting per run (first resource block wins), then record events. */
export class RunEvents {
  readonly events: RunEvent[] = [];
  readonly #seen = new Set<string>();

  constructor(private readonly context: RequestContext) {}

  sighting(owner: Attribution, resource: IResource | null | undefined): void {
    if (owner.runId === '') return;
    const key = `${owner.project}\u0000${owner.runId}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const name = stringAttribute(resource?.attributes, ResourceKeys.runName);
    this.events.push({ kind: 'seen', project: owner.project, runId: owner.runId, timeMs: Number(this.context.receivedAt / NANOS_PER_MS), name });
  }

  record(record: ILogRecord, owner: Attribution, notes: Notes): void {
    const event = runEventOf(record, owner, this.context, notes);
    if (event) this.events.push(event);
  }
}
