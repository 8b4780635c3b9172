/**
 * The ClickHouse migrator: applies `storage/migrations/clickhouse/NNNN_name.sql` in order, records each
 * applied version in `schema_migrations` (version, name, checksum, applied_at) and skips it afterwards.
 * It fails loudly, with the file name and ClickHouse's message, on any error, and refuses to run when a
 * migration that was already applied has since been edited.
 *
 * ClickHouse DDL is not transactional: a file that fails half-way leaves its earlier statements applied and
 * its version unrecorded, so statements are written idempotently (`IF NOT EXISTS`) and the file re-runs.
 * Concurrent migrators (N server-mode processes starting at once) are tolerated for the same reason; a
 * version recorded twice is harmless.
 */
import type { ClickHouse } from './clickhouse/client.js';
import type { LedgerRow, MigrationFile, MigrationTokens } from './migration-files.js';
import { checkApplied, CLICKHOUSE_MIGRATIONS_DIR, loadMigrations, renderMigration, splitStatements } from './migration-files.js';

export interface MigrateOptions {
  readonly tokens?: MigrationTokens;
  /** Progress lines (one per applied migration); silent when absent. */
  readonly log?: (message: string) => void;
  /** Migration folder; defaults to the package's `migrations/clickhouse/`. */
  readonly dir?: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations {{on_cluster}}
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}MergeTree
ORDER BY version`;

function fail(file: string, cause: unknown): Error {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  return new Error(`migration ${file} failed: ${message}`, { cause });
}

async function readLedger(ch: ClickHouse): Promise<Map<number, LedgerRow>> {
  const rows = await ch.query<{ version: number; name: string; checksums: string[] }>({
    sql: 'SELECT version, any(name) AS name, groupUniqArray(checksum) AS checksums FROM schema_migrations GROUP BY version ORDER BY version',
    tag: 'migrate.ledger',
  });
  const applied = new Map<number, LedgerRow>();
  for (const row of rows) {
    if (row.checksums.length !== 1) {
      throw new Error(`schema_migrations holds ${row.checksums.length} different checksums for version ${row.version} (${row.name})`);
    }
    applied.set(Number(row.version), { version: Number(row.version), name: row.name, checksum: row.checksums[0] as string });
  }
  return applied;
}

async function apply(ch: ClickHouse, f: MigrationFile, tokens: MigrationTokens): Promise<void> {
  let statements: string[];
  try {
    statements = splitStatements(renderMigration(f, tokens));
  } catch (cause) {
    throw fail(f.file, cause);
  }
  if (statements.length === 0) throw new Error(`migration ${f.file} holds no statement`);
  for (const [i, sql] of statements.entries()) {
    try {
      await ch.command({ sql, tag: `migrate.${f.version}.${i + 1}` });
    } catch (cause) {
      throw fail(statements.length > 1 ? `${f.file} (statement ${i + 1})` : f.file, cause);
    }
  }
  await ch.command({
    sql: `INSERT INTO schema_migrations (version, name, checksum, applied_at)
          SELECT {version:UInt32}, {name:String}, {checksum:String}, now64(3)`,
    params: { version: f.version, name: f.name, checksum: f.checksum },
    tag: `migrate.${f.version}.record`,
  });
}

/** Applies every pending migration in order and returns those it applied (empty when up to date). */
export async function migrate(ch: ClickHouse, options: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const tokens = options.tokens ?? {};
  const log = options.log ?? ((): void => {});
  const dir = options.dir ?? CLICKHOUSE_MIGRATIONS_DIR;
  const files = await loadMigrations(dir);
  await ch.ensureDatabase(tokens.on_cluster ?? '');
  try {
    await ch.command({ sql: renderMigration({ file: 'schema_migrations', sql: LEDGER }, tokens), tag: 'migrate.ledger' });
  } catch (cause) {
    throw fail('schema_migrations (ledger table)', cause);
  }
  const applied = await readLedger(ch);
  checkApplied(files, applied, log);
  const done: AppliedMigration[] = [];
  for (const f of files) {
    if (applied.has(f.version)) continue;
    const started = Date.now();
    await apply(ch, f, tokens);
    log(`applied migration ${f.file} in ${Date.now() - started} ms`);
    done.push({ version: f.version, name: f.name, checksum: f.checksum });
  }
  return done;
}
