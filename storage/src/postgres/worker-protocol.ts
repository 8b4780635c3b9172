/**
 * The messages between the main thread (./worker-backend.ts) and the PGlite worker (./pglite-worker.ts).
 * Every request carries an id its reply repeats. A transaction is named by a `txId` the main thread picks:
 * `begin` opens it, each `run` with that `txId` runs inside it, `commit` / `rollback` end it.
 *
 * Rows cross the thread boundary by structured clone, which keeps everything our parsers produce (strings,
 * numbers including NaN/±Infinity/-0, booleans, null, arrays, plain objects). Errors do not: a clone keeps
 * only name and message, so the fields the client reads (`code`, `position`, …) travel explicitly.
 */
import type { Row } from './backend.js';

export type Request =
  | { readonly id: number; readonly op: 'open'; readonly dataDir: string }
  | {
      readonly id: number;
      readonly op: 'run';
      readonly sql: string;
      readonly values: ReadonlyArray<string | null> | undefined;
      readonly txId: number | undefined;
    }
  | { readonly id: number; readonly op: 'begin' | 'commit' | 'rollback'; readonly txId: number }
  | { readonly id: number; readonly op: 'close' };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A request before the main thread numbers it. */
export type RequestBody = WithoutId<Request>;

/** An error as it crosses the boundary: its name, message and stack, plus every own primitive field. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

export type Reply = { readonly id: number; readonly ok: true; readonly rows: Row[] } | { readonly id: number; readonly ok: false; readonly error: ErrorData };

const OWN = new Set(['name', 'message', 'stack']);

export function errorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined, fields: {} };
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(error)) {
    const type = typeof value;
    if (!OWN.has(key) && (type === 'string' || type === 'number' || type === 'boolean')) fields[key] = value as string | number | boolean;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/** The error again, on the receiving side, with its fields (`code`, `position`, …) as own properties. */
export function errorFrom(data: ErrorData): Error {
  const error = Object.assign(new Error(data.message), data.fields);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
