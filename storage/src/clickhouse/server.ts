/**
 * Server mode: @clickhouse/client over HTTP to a ClickHouse server or cluster. Every request names the
 * configured database (the client sends it as the `database` URL parameter), so SQL stays unqualified as
 * in embedded mode. RowBinary bodies are streamed as the HTTP request body of `INSERT … FORMAT RowBinary`;
 * the response arrives only after the server has written the rows.
 */
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import type { TableName } from '../rows.js';
import type { Backend } from './backend.js';
import { CLIENT_SETTINGS, databaseIdentifier, insertHead } from './backend.js';

export interface ServerOptions {
  readonly kind: 'server';
  /** e.g. `http://clickhouse:8123`; credentials belong in username/password, not here. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly database: string;
  /** Per-request timeout (default 300 s: large inserts and merges under load are slow, not dead). */
  readonly requestTimeoutMs?: number;
  /** HTTP keep-alive sockets kept open to the server (default 10). */
  readonly maxOpenConnections?: number;
}

/** The URL with any embedded credentials removed, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function buildClient(options: ServerOptions, database: string | undefined): ClickHouseClient {
  return createClient({
    url: options.url,
    username: options.username,
    password: options.password,
    ...(database === undefined ? {} : { database }),
    application: 'mlrun',
    request_timeout: options.requestTimeoutMs ?? 300_000,
    max_open_connections: options.maxOpenConnections ?? 10,
    clickhouse_settings: CLIENT_SETTINGS,
  });
}

export function openServer(options: ServerOptions): Backend {
  const db = databaseIdentifier(options.database);
  const client = buildClient(options, options.database);
  // Requests naming a missing database fail before they run, so creating the database and pinging (which
  // callers do before migrating) go through a client that names none, made on first use.
  let admin: ClickHouseClient | undefined;
  const adminClient = (): ClickHouseClient => (admin ??= buildClient(options, undefined));

  const insertRowBinary = async (table: TableName, body: Buffer, logComment: string): Promise<void> => {
    const result = await client.exec({
      query: `${insertHead(table)} FORMAT RowBinary`,
      values: Readable.from([body]),
      clickhouse_settings: { log_comment: logComment, wait_end_of_query: 1 },
    });
    await finished(result.stream.resume());
  };

  const ensureDatabase = async (onCluster: string): Promise<void> => {
    await adminClient().command({ query: `CREATE DATABASE IF NOT EXISTS ${db} ${onCluster}`.trim(), clickhouse_settings: { log_comment: 'create-database' } });
  };

  const ping = async (): Promise<void> => {
    const result = await adminClient().query({ query: 'SELECT 1', format: 'JSONEachRow', clickhouse_settings: { log_comment: 'ping' } });
    await result.json();
  };

  return {
    kind: 'server',
    description: `ClickHouse server ${redactUrl(options.url)} (user ${options.username}, database ${options.database})`,
    database: options.database,
    client,
    insertRowBinary,
    ensureDatabase,
    ping,
    close: async () => {
      await Promise.all([client.close(), admin?.close()]);
    },
  };
}
