/**
 * Embedded Postgres: PGlite (Postgres in WASM, in this process) with its data in `<dataDir>/postgres`.
 * PGlite runs every statement on the JS thread, one at a time; a transaction holds it exclusively until it
 * ends, so code inside `transaction` must use the transaction's own `query`, never the client's.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Results, Transaction } from '@electric-sql/pglite';
import type { Backend, Row, Runner } from './backend.js';
import { PARSERS, PGLITE_SERIALIZERS, SESSION_SETTINGS } from './types.js';

export interface EmbeddedPostgresOptions {
  readonly kind: 'embedded';
  /** The mlrun data directory; PGlite keeps its files in `<dataDir>/postgres`. */
  readonly dataDir: string;
}

const OPTIONS = { parsers: PARSERS, serializers: PGLITE_SERIALIZERS };

type Queryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

function lastRows(results: Results[]): Row[] {
  for (let i = results.length - 1; i >= 0; i--) {
    const result = results[i];
    if (result !== undefined && result.fields.length > 0) return result.rows;
  }
  return [];
}

function runnerOf(db: Queryable): Runner {
  return async (sql, values) => {
    if (values === undefined) return lastRows(await db.exec(sql, OPTIONS));
    const result = await db.query<Row>(sql, [...values], OPTIONS);
    return result.rows;
  };
}

function settingsSql(): string {
  return Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `SET ${name} TO '${value}';`)
    .join('\n');
}

export async function openEmbedded(options: EmbeddedPostgresOptions): Promise<Backend> {
  const dir = join(options.dataDir, 'postgres');
  const description = `pglite ${dir}`;
  let db: PGlite;
  try {
    await mkdir(dir, { recursive: true });
    db = await PGlite.create(dir, { parsers: PARSERS, serializers: PGLITE_SERIALIZERS });
    await db.exec(settingsSql());
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`postgres: cannot open ${description}: ${message}`, { cause });
  }
  return {
    kind: 'embedded',
    description,
    run: runnerOf(db),
    transaction: (fn) => db.transaction((tx) => fn(runnerOf(tx))),
    close: () => db.close(),
  };
}
