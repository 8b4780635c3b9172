/**
 * The Postgres migrator: applies `storage/migrations/postgres/NNNN_name.sql` in order, each file in its own
 * transaction together with its row in `schema_migrations` (version, name, checksum, applied_at), so a file
 * either applies whole and is recorded, or leaves nothing behind. It fails loudly, with the file name,
 * Postgres' message, SQLSTATE and line, and refuses to run when an applied migration has since been edited.
 *
 * Concurrent migrators (N server-mode processes starting at once) serialise on a transaction-scoped
 * advisory lock and re-check the ledger under it, so each file is applied exactly once.
 */
import type { AppliedMigration } from '../migrate.js';
import type { LedgerRow, MigrationFile } from '../migration-files.js';
import { checkApplied, loadMigrations, POSTGRES_MIGRATIONS_DIR, splitStatements } from '../migration-files.js';
import type { PgQueryable, Postgres } from './client.js';
import { describePgError } from './client.js';

export interface MigratePostgresOptions {
  /** Progress lines (one per applied migration); silent when absent. */
  readonly log?: (message: string) => void;
  /** Migration folder; defaults to the package's `migrations/postgres/`. */
  readonly dir?: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Arbitrary constant naming "mlrun migrations" among advisory locks. */
const LOCK_KEY = '7236218741';

function fail(file: string, cause: unknown, sql: string): Error {
  // The client's error already names the tag; the migration error names the file and points into it.
  const inner = cause instanceof Error && cause.cause !== undefined ? cause.cause : cause;
  return new Error(`migration ${file} failed: ${describePgError(inner, sql)}`, { cause });
}

function holdsNoStatement(sql: string): boolean {
  try {
    return splitStatements(sql).length === 0;
  } catch {
    return false; // a quoting style the splitter does not know (e.g. $$…$$): Postgres will judge
  }
}

async function lock(tx: PgQueryable): Promise<void> {
  await tx.query({ sql: 'SELECT pg_advisory_xact_lock($1::int8)', params: [LOCK_KEY], tag: 'migrate.lock' });
}

async function readLedger(tx: PgQueryable): Promise<Map<number, LedgerRow>> {
  const rows = await tx.query<LedgerRow>({ sql: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version', tag: 'migrate.ledger' });
  return new Map(rows.map((r) => [r.version, r]));
}

/** Creates the ledger if missing and reads it, under the lock (concurrent CREATE TABLE IF NOT EXISTS races). */
async function readOrCreateLedger(pg: Postgres): Promise<Map<number, LedgerRow>> {
  return pg.transaction(async (tx) => {
    await lock(tx);
    try {
      await tx.query({ sql: LEDGER, tag: 'migrate.ledger.create' });
    } catch (cause) {
      throw fail('schema_migrations (ledger table)', cause, LEDGER);
    }
    return readLedger(tx);
  });
}

/** Applies one file unless another migrator got there first; true when this call applied it. */
async function apply(pg: Postgres, f: MigrationFile): Promise<boolean> {
  return pg.transaction(async (tx) => {
    await lock(tx);
    const done = await tx.query({ sql: 'SELECT 1 FROM schema_migrations WHERE version = $1', params: [f.version], tag: 'migrate.check' });
    if (done.length > 0) return false;
    if (holdsNoStatement(f.sql)) throw new Error(`migration ${f.file} holds no statement`);
    try {
      await tx.query({ sql: f.sql, tag: `migrate.${f.version}` });
    } catch (cause) {
      throw fail(f.file, cause, f.sql);
    }
    await tx.query({
      sql: 'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
      params: [f.version, f.name, f.checksum],
      tag: `migrate.${f.version}.record`,
    });
    return true;
  });
}

/** Applies every pending migration in order and returns those it applied (empty when up to date). */
export async function migratePostgres(pg: Postgres, options: MigratePostgresOptions = {}): Promise<AppliedMigration[]> {
  const log = options.log ?? ((): void => {});
  const files = await loadMigrations(options.dir ?? POSTGRES_MIGRATIONS_DIR);
  const applied = await readOrCreateLedger(pg);
  checkApplied(files, applied, log);
  const done: AppliedMigration[] = [];
  for (const f of files) {
    if (applied.has(f.version)) continue;
    const started = Date.now();
    if (!(await apply(pg, f))) continue;
    log(`applied postgres migration ${f.file} in ${Date.now() - started} ms`);
    done.push({ version: f.version, name: f.name, checksum: f.checksum });
  }
  return done;
}
