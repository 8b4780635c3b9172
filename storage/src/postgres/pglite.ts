/**
 * PGlite (Postgres in WASM) on the calling thread, with its data in `<dataDir>/postgres`. This is the one
 * place that opens PGlite: embedded mode uses it directly with `inProcess: true`, and ./pglite-worker.ts
 * uses it inside the worker thread that is the default (./embedded.ts).
 *
 * PGlite runs every statement synchronously on its thread, one at a time; a transaction holds it
 * exclusively until it ends (a plain `query` issued meanwhile waits for it), so code inside `transaction`
 * must use the transaction's own runner, never the client's.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Results, Transaction } from '@electric-sql/pglite';
import type { Backend, Row, Runner } from './backend.js';
import { PARSERS, PGLITE_SERIALIZERS, SESSION_SETTINGS } from './types.js';

const OPTIONS = { parsers: PARSERS, serializers: PGLITE_SERIALIZERS };

type Queryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

/** Where PGlite keeps its files under the mlrun data directory. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'postgres');
}

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

/** Opens (creating on first use, a few seconds) PGlite under `<dataDir>/postgres` on this thread. */
export async function openPglite(dataDir: string): Promise<Backend> {
  const dir = pgliteDir(dataDir);
  const description = `pglite ${dir}`;
  let db: PGlite;
  try {
    await mkdir(dir, { recursive: true });
    db = await PGlite.create(dir, OPTIONS);
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
