/**
 * What differs between embedded chDB and a ClickHouse server: how the @clickhouse/client is built, how a
 * RowBinary body reaches an INSERT, and how the database is created. client.ts builds the one ClickHouse
 * surface on top of either.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { TableName } from '../rows.js';
import { insertColumnList } from './tables.js';

export interface Backend {
  readonly kind: 'embedded' | 'server';
  readonly description: string;
  readonly database: string;
  readonly client: ClickHouseClient;
  /** Sends one RowBinary body to `table`; resolves once ClickHouse has stored the rows. */
  insertRowBinary(table: TableName, body: Buffer, logComment: string): Promise<void>;
  /** `CREATE DATABASE IF NOT EXISTS` for the target database (`onCluster`: '' or an ON CLUSTER clause). */
  ensureDatabase(onCluster: string): Promise<void>;
  /** Throws unless ClickHouse answers a query (embedded: and the session is on the MLRun database). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Settings on every statement. 64-bit integers come back as JSON strings (a JS number would lose precision
 * past 2^53) and NaN/±Inf as "nan"/"inf"/"-inf" (JSON has no literal for them; without this ClickHouse
 * writes null).
 */
export const CLIENT_SETTINGS = {
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_denormals: 1,
} as const;

/** A ClickHouse single-quoted string literal, for the few SQL texts built from our own values (paths). */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Database names are identifiers from configuration: checked, then backquoted. */
export function databaseIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid ClickHouse database name ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

const insertHeads = new Map<TableName, string>();

/** `INSERT INTO \`t\` (\`c1\`, …)` from the allow-list, built once per table. */
export function insertHead(table: TableName): string {
  let head = insertHeads.get(table);
  if (head === undefined) {
    head = `INSERT INTO \`${table}\` ${insertColumnList(table)}`;
    insertHeads.set(table, head);
  }
  return head;
}
