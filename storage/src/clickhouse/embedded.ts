/**
 * Embedded mode: chDB in this process behind @clickhouse/client (`chdb/connection`).
 *
 * - chDB binds ONE data directory per process and keeps one stateful session: `USE mlrun` issued once
 *   after opening persists for every later statement (checked by test/client.int.test.ts), so the schema
 *   and all SQL stay unqualified in both modes.
 * - Inserts never carry data inline in SQL: chDB's connection concatenates the body to the statement text
 *   and its parser stops at the first "\n\n" byte pair, silently dropping the rest of a binary body. The
 *   RowBinary is written to a file under `<dataDir>/clickhouse-ingest/` and read with the `file()` table
 *   function, then the file is removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { TableName } from '../rows.js';
import type { Backend } from './backend.js';
import { CLIENT_SETTINGS, databaseIdentifier, insertHead, sqlString } from './backend.js';
import { rowBinaryStructure } from './tables.js';

export const EMBEDDED_DATABASE = 'mlrun';
const INGEST_SUFFIX = '.rowbinary';

/**
 * chDB types its connection against the standalone @clickhouse/client-common package while
 * @clickhouse/client 1.23 bundles its own copy of those declarations; the shapes agree at runtime but the
 * two copies of ClickHouseSettings do not unify, hence one cast at this seam.
 */
type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

export interface EmbeddedOptions {
  readonly kind: 'embedded';
  /** MLRun's data directory; chDB lives in `<dataDir>/clickhouse`. */
  readonly dataDir: string;
}

/** Files left by a crash mid-insert were never acknowledged, so they are dropped, not replayed. */
async function clearIngestDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stale = (await readdir(dir)).filter((f) => f.endsWith(INGEST_SUFFIX));
  await Promise.all(stale.map((f) => rm(join(dir, f), { force: true })));
}

export async function openEmbedded(options: EmbeddedOptions): Promise<Backend> {
  const dataDir = resolve(options.dataDir);
  const chdbPath = join(dataDir, 'clickhouse');
  const ingestDir = join(dataDir, 'clickhouse-ingest');
  await mkdir(chdbPath, { recursive: true });
  let connection: ClientConnection;
  try {
    connection = createChdbConnection({ path: chdbPath }) as unknown as ClientConnection;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `embedded ClickHouse: cannot open ${chdbPath} (chDB binds one data directory per process and locks it against ` +
        `other processes: is another MLRun using this data dir?): ${message}`,
      { cause },
    );
  }
  const client = createClient({ connection, clickhouse_settings: CLIENT_SETTINGS });
  const db = databaseIdentifier(EMBEDDED_DATABASE);
  const useDatabase = async (): Promise<void> => {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    await client.command({ query: `USE ${db}` });
  };
  try {
    await useDatabase();
    // Only now, holding chDB's lock on the directory, is it safe to clear another run's leftovers.
    await clearIngestDir(ingestDir);
  } catch (cause) {
    await client.close();
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`embedded ClickHouse: cannot prepare database ${EMBEDDED_DATABASE} in ${chdbPath}: ${message}`, { cause });
  }

  let seq = 0;
  const insertRowBinary = async (table: TableName, body: Buffer, logComment: string): Promise<void> => {
    const file = join(ingestDir, `${table}-${process.pid}-${++seq}-${randomUUID().slice(0, 8)}${INGEST_SUFFIX}`);
    await writeFile(file, body);
    try {
      const source = `file(${sqlString(file)}, 'RowBinary', ${sqlString(rowBinaryStructure(table))})`;
      await client.command({ query: `${insertHead(table)} SELECT * FROM ${source}`, clickhouse_settings: { log_comment: logComment } });
    } finally {
      await rm(file, { force: true });
    }
  };

  return {
    kind: 'embedded',
    description: `embedded chDB at ${chdbPath} (database ${EMBEDDED_DATABASE})`,
    database: EMBEDDED_DATABASE,
    client,
    insertRowBinary,
    ensureDatabase: useDatabase,
    ping: async () => {
      const result = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
      const [row] = await result.json<{ db: string }>();
      if (row?.db !== EMBEDDED_DATABASE) throw new Error(`chDB session is on database ${row?.db ?? '?'}, expected ${EMBEDDED_DATABASE}`);
    },
    close: () => client.close(),
  };
}
