/**
 * Server Postgres through a `pg` Pool. Every connection starts with the same session settings as PGlite
 * (UTC, ISO dates) and parses results with the same functions, so both modes return identical values.
 */
import pg from 'pg';
import type { Backend, Row, Runner } from './backend.js';
import { parserFor, SESSION_SETTINGS } from './types.js';

export interface ServerPostgresOptions {
  readonly kind: 'server';
  /** `postgres://user:password@host:port/database?…` (libpq-style URL). */
  readonly url: string;
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Errors of idle pooled connections (server restart, network); the pool drops those connections. */
  readonly onIdleError?: (error: Error) => void;
}

/** The URL with any password removed, for logs. */
export function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new TypeError('postgres url is not a valid URL (expected postgres://user@host:port/database)', { cause });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TypeError(`postgres url must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  if (parsed.password !== '') parsed.password = '***';
  parsed.search = '';
  return parsed.toString();
}

function sessionOptions(): string {
  return Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `-c ${name}=${value.replace(/ /g, '\\ ')}`)
    .join(' ');
}

type Client = Pick<pg.PoolClient, 'query'>;

function lastRows(result: pg.QueryResult<Row> | Array<pg.QueryResult<Row>>): Row[] {
  if (!Array.isArray(result)) return result.rows;
  for (let i = result.length - 1; i >= 0; i--) {
    const r = result[i];
    if (r !== undefined && r.fields.length > 0) return r.rows;
  }
  return [];
}

function runnerOf(client: Client): Runner {
  return async (sql, values) => {
    // Without values pg uses the simple query protocol, which accepts several statements and returns
    // one result per statement (typed as one result by @types/pg).
    const result: pg.QueryResult<Row> | Array<pg.QueryResult<Row>> =
      values === undefined ? await client.query<Row>(sql) : await client.query<Row>(sql, [...values]);
    return lastRows(result);
  };
}

async function connect(pool: pg.Pool, description: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`postgres: cannot connect to ${description}: ${message}`, { cause });
  }
}

async function inTransaction<T>(pool: pg.Pool, description: string, fn: (run: Runner) => Promise<T>): Promise<T> {
  const client = await connect(pool, description);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const value = await fn(runnerOf(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    }
  } finally {
    // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
    client.release(broken);
  }
}

export function openServer(options: ServerPostgresOptions): Backend {
  const description = describeUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'mlrun',
    options: sessionOptions(),
    types: { getTypeParser: ((oid: number) => parserFor(oid)) as typeof pg.types.getTypeParser },
  });
  const onIdleError = options.onIdleError ?? ((): void => {});
  pool.on('error', onIdleError);
  return {
    kind: 'server',
    description,
    run: runnerOf(pool),
    transaction: (fn) => inTransaction(pool, description, fn),
    close: () => pool.end(),
  };
}
