/**
 * The one way into ClickHouse. `createClickHouse` builds an @clickhouse/client for either mode (embedded
 * chDB or a server) and wraps it in the `ClickHouse` surface: `query` is the single choke point for reads,
 * values travel only as typed `{name:Type}` parameters, every statement carries a tag (its `log_comment`),
 * and every failure names that tag.
 */
import type { TableName, TableRows } from '../rows.js';
import type { Backend } from './backend.js';
import type { EmbeddedOptions } from './embedded.js';
import { openEmbedded } from './embedded.js';
import { encodeRows } from './encode-rows.js';
import type { QueryParams } from './params.js';
import { bindParams } from './params.js';
import type { ServerOptions } from './server.js';
import { openServer } from './server.js';
import { isTableName } from './tables.js';

export type ClickHouseOptions = EmbeddedOptions | ServerOptions;

/** One SQL statement. `sql` holds no values: they go in `params`, referenced as `{name:Type}`. */
export interface Statement {
  readonly sql: string;
  readonly params?: QueryParams;
  /** Names the statement in errors and in ClickHouse's `log_comment` (e.g. `runs.list`). */
  readonly tag: string;
  /** Seconds ClickHouse may spend on it (`max_execution_time`); past them it fails with StatementTimeout. */
  readonly timeoutS?: number;
}

/** A statement stopped by its `timeoutS` (ClickHouse TIMEOUT_EXCEEDED, code 159). */
export class StatementTimeout extends Error {
  constructor(
    readonly tag: string,
    readonly timeoutS: number,
    options: { cause: unknown },
  ) {
    super(`clickhouse ${tag}: stopped after ${timeoutS} s (max_execution_time)`, options);
    this.name = 'StatementTimeout';
  }
}

/**
 * The limit as SQL text. It goes in the statement's own SETTINGS clause, not in `clickhouse_settings`:
 * chDB turns those into session-wide SETs that would bind every later statement of the process.
 */
function limitSeconds(timeoutS: number): string {
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new RangeError(`timeoutS must be a positive number of seconds, got ${timeoutS}`);
  return String(timeoutS);
}

/** ClickHouse's error code on the server client's ClickHouseError (`code: '159'`) or chDB's (`clickhouseCode: 159`). */
function isTimeout(cause: unknown): boolean {
  if (typeof cause !== 'object' || cause === null) return false;
  const c = cause as { code?: unknown; clickhouseCode?: unknown; message?: unknown };
  return c.code === '159' || c.clickhouseCode === 159 || (typeof c.message === 'string' && c.message.includes('(TIMEOUT_EXCEEDED)'));
}

export type PingResult = { readonly ok: true } | { readonly ok: false; readonly error: Error };

export interface ClickHouse {
  readonly kind: 'embedded' | 'server';
  /** Where this client points, safe to log (no password). */
  readonly description: string;
  /** The database every statement runs in (`mlrun` when embedded). */
  readonly database: string;
  /** Runs a read and returns its rows (JSONEachRow: 64-bit integers as strings, NaN/±Inf as "nan"/"inf"/"-inf"). */
  query<T = Record<string, unknown>>(statement: Statement): Promise<T[]>;
  /** Runs DDL or DML that returns no rows. */
  command(statement: Statement): Promise<void>;
  /** Writes rows as RowBinary; resolves only once ClickHouse has stored them. */
  insert<T extends TableName>(table: T, rows: readonly TableRows[T][]): Promise<void>;
  /** Creates the database if missing (`onCluster`: '' or an `ON CLUSTER …` clause). Used by `migrate`. */
  ensureDatabase(onCluster?: string): Promise<void>;
  /**
   * Checks ClickHouse answers (server: reachable with these credentials; the database is not required, so
   * it can run before `migrate` creates it). Never throws: failures come back as `{ ok: false, error }`.
   */
  ping(): Promise<PingResult>;
  close(): Promise<void>;
}

const TAG = /^[\w.:/-]{1,200}$/;

function checkTag(tag: string): string {
  if (!TAG.test(tag)) throw new TypeError(`invalid statement tag ${JSON.stringify(tag)} (letters, digits and _ . : / -)`);
  return tag;
}

function wrapError(op: string, tag: string, cause: unknown): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new Error(`clickhouse ${op} ${tag}: ${message}`, { cause });
}

/** A read's rows (JSONEachRow), its failures named by tag; past `timeoutS`, StatementTimeout. */
async function readRows<T>(client: Backend['client'], { sql, params, tag, timeoutS }: Statement): Promise<T[]> {
  try {
    const result = await client.query({
      query: timeoutS === undefined ? sql : `${sql}\nSETTINGS max_execution_time = ${limitSeconds(timeoutS)}`,
      format: 'JSONEachRow',
      query_params: bindParams(params),
      clickhouse_settings: { log_comment: checkTag(tag) },
    });
    return await result.json<T>();
  } catch (cause) {
    if (timeoutS !== undefined && isTimeout(cause)) throw new StatementTimeout(tag, timeoutS, { cause });
    throw wrapError('query', tag, cause);
  }
}

function wrap(backend: Backend): ClickHouse {
  const { client } = backend;

  const query = <T>(statement: Statement): Promise<T[]> => readRows<T>(client, statement);

  const command = async ({ sql, params, tag }: Statement): Promise<void> => {
    try {
      await client.command({ query: sql, query_params: bindParams(params), clickhouse_settings: { log_comment: checkTag(tag) } });
    } catch (cause) {
      throw wrapError('command', tag, cause);
    }
  };

  const insert = async <T extends TableName>(table: T, rows: readonly TableRows[T][]): Promise<void> => {
    const tag = `insert.${String(table)}`;
    if (!isTableName(table)) throw new TypeError(`clickhouse ${tag}: not an insertable table`);
    if (rows.length === 0) return;
    try {
      await backend.insertRowBinary(table, encodeRows(table, rows), tag);
    } catch (cause) {
      throw wrapError('insert', `${table} (${rows.length} rows)`, cause);
    }
  };

  const ensureDatabase = async (onCluster = ''): Promise<void> => {
    try {
      await backend.ensureDatabase(onCluster);
    } catch (cause) {
      throw wrapError('command', `create-database ${backend.database}`, cause);
    }
  };

  const ping = async (): Promise<PingResult> => {
    try {
      await backend.ping();
      return { ok: true };
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      return { ok: false, error: new Error(`clickhouse ping failed for ${backend.description}: ${reason}`, { cause }) };
    }
  };

  return {
    kind: backend.kind,
    description: backend.description,
    database: backend.database,
    query,
    command,
    insert,
    ensureDatabase,
    ping,
    close: () => backend.close(),
  };
}

/**
 * Builds the ClickHouse client for a mode. Embedded opens chDB under `<dataDir>/clickhouse` and selects the
 * `mlrun` database (created if missing); server mode only configures the HTTP client (nothing is sent until
 * the first statement; `migrate` creates the database if missing).
 */
export async function createClickHouse(options: ClickHouseOptions): Promise<ClickHouse> {
  const backend = options.kind === 'embedded' ? await openEmbedded(options) : openServer(options);
  return wrap(backend);
}
