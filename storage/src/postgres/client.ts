/**
 * The one way into Postgres. `createPostgres` opens PGlite (embedded, on a worker thread by default) or a
 * `pg` pool (server) and wraps it in the `Postgres` surface: `query` is the single choke point, values
 * travel only as `$n` parameters, every statement carries a tag that names it in errors, and both drivers
 * return the same JS values (see ./types.ts for the table).
 */
import type { Backend, Runner } from './backend.js';
import type { EmbeddedPostgresOptions } from './embedded.js';
import { openEmbedded } from './embedded.js';
import type { ServerPostgresOptions } from './server.js';
import { openServer } from './server.js';
import type { PgParam } from './types.js';
import { serializeParams } from './types.js';

export type PostgresOptions = EmbeddedPostgresOptions | ServerPostgresOptions;

/** One SQL statement. `sql` holds no values: they go in `params`, referenced as `$1`, `$2`, … */
export interface PgStatement {
  readonly sql: string;
  /**
   * Values for `$1…$n`. Without `params` the text is sent as a simple query and may hold several
   * statements (migrations); rows of the last statement that returns rows come back.
   */
  readonly params?: readonly PgParam[];
  /** Names the statement in errors (e.g. `runs.list`). */
  readonly tag: string;
}

export interface PgQueryable {
  /** Runs one statement and returns its rows, typed as the caller says (values as in ./types.ts). */
  readonly query: <T = Record<string, unknown>>(statement: PgStatement) => Promise<T[]>;
}

export type PgPingResult = { readonly ok: true } | { readonly ok: false; readonly error: Error };

export interface Postgres extends PgQueryable {
  readonly kind: 'embedded' | 'server';
  /** Where this client points, safe to log (no password). */
  readonly description: string;
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection; a throw rolls back and rethrows. Inside, use only
   * `tx.query` (PGlite is single-connection: the client's own `query` would wait for the transaction).
   */
  transaction<T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T>;
  /** Checks Postgres answers `SELECT 1`. Never throws: failures come back as `{ ok: false, error }`. */
  ping(): Promise<PgPingResult>;
  close(): Promise<void>;
}

const TAG = /^[\w.:/-]{1,200}$/;

function checkTag(tag: string): string {
  if (!TAG.test(tag)) throw new TypeError(`invalid statement tag ${JSON.stringify(tag)} (letters, digits and _ . : / -)`);
  return tag;
}

interface PgErrorFields {
  code?: unknown;
  position?: unknown;
}

/** `line L, column C` of a 1-based character position in `sql`. */
export function lineAndColumn(sql: string, position: number): string {
  const before = sql.slice(0, Math.max(0, position - 1));
  const lines = before.split('\n');
  return `line ${lines.length}, column ${(lines[lines.length - 1] ?? '').length + 1}`;
}

/** The database's message with its SQLSTATE code and, when Postgres gives one, where in `sql` it points. */
export function describePgError(cause: unknown, sql: string): string {
  if (!(cause instanceof Error)) return String(cause);
  const fields = cause as Error & PgErrorFields;
  const code = typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? ` (SQLSTATE ${fields.code})` : '';
  const position = Number(fields.position);
  const where = Number.isSafeInteger(position) && position > 0 ? ` at ${lineAndColumn(sql, position)}` : '';
  return `${cause.message}${code}${where}`;
}

function queryable(run: Runner): PgQueryable {
  const query = async <T>({ sql, params, tag }: PgStatement): Promise<T[]> => {
    const label = `postgres query ${checkTag(tag)}`;
    const values = params === undefined ? undefined : serializeParams(params, label);
    try {
      return (await run(sql, values)) as T[];
    } catch (cause) {
      throw new Error(`${label}: ${describePgError(cause, sql)}`, { cause });
    }
  };
  return { query };
}

function wrap(backend: Backend): Postgres {
  const { query } = queryable(backend.run);

  const ping = async (): Promise<PgPingResult> => {
    try {
      await backend.run('SELECT 1', []);
      return { ok: true };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
      return { ok: false, error: new Error(`postgres ping failed for ${backend.description}: ${reason}`, { cause }) };
    }
  };

  return {
    kind: backend.kind,
    description: backend.description,
    query,
    transaction: (fn) => backend.transaction((run) => fn(queryable(run))),
    ping,
    close: () => backend.close(),
  };
}

/**
 * Builds the Postgres client for a mode. Embedded opens (and on first use initialises, a few seconds)
 * PGlite under `<dataDir>/postgres`, on a worker thread unless `inProcess: true` (see ./embedded.ts); server
 * mode only configures the pool (nothing is sent until the first statement; `ping` checks the server
 * answers). Neither creates tables: that is `migratePostgres`.
 */
export async function createPostgres(options: PostgresOptions): Promise<Postgres> {
  const backend = options.kind === 'embedded' ? await openEmbedded(options) : openServer(options);
  return wrap(backend);
}
