/**
 * Migration files: `NNNN_name.sql`, numbered 0001, 0002, … without gaps or repeats, one folder per
 * database (`migrations/clickhouse/`, `migrations/postgres/`). Each file holds one or more statements
 * separated by `;` and is identified by the SHA-256 of its bytes as written. ClickHouse files may use the
 * tokens `{{on_cluster}}`, `{{replicated}}` and `{{telemetry_ttl_days}}` (the checksum is taken before
 * substitution, so a deployment's token values never look like an edited migration); Postgres files use
 * none and run as written.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly checksum: string;
  readonly sql: string;
}

/** Values for the substitution tokens. Cluster mode sets on_cluster (`ON CLUSTER '{cluster}'`) and
 *  replicated (`Replicated`); a single server or chDB leaves both empty. */
export interface MigrationTokens {
  readonly on_cluster?: string;
  readonly replicated?: string;
  /** Days run-less telemetry is kept (default 30). */
  readonly telemetry_ttl_days?: number;
}

/** `storage/migrations/clickhouse/`, found from this module's location (src/ or dist/, one level down). */
export const CLICKHOUSE_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/clickhouse/', import.meta.url));

/** `storage/migrations/postgres/`, found the same way. */
export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/postgres/', import.meta.url));

/** A migration as recorded in a database's `schema_migrations`. */
export interface LedgerRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/**
 * Compares the recorded migrations with the files: an applied file whose checksum changed throws (never
 * edit an applied migration); versions the files do not know are logged (the database is newer).
 */
export function checkApplied(files: readonly MigrationFile[], applied: ReadonlyMap<number, LedgerRow>, log: (m: string) => void): void {
  const known = new Set(files.map((f) => f.version));
  for (const row of applied.values()) {
    if (!known.has(row.version)) {
      log(`schema_migrations has version ${row.version} (${row.name}) that this build does not know: the database is newer than the code`);
    }
  }
  for (const f of files) {
    const row = applied.get(f.version);
    if (row !== undefined && row.checksum !== f.checksum) {
      throw new Error(
        `migration ${f.file} was changed after it was applied (checksum ${f.checksum.slice(0, 12)}…, applied ${row.checksum.slice(0, 12)}…); ` +
          'never edit an applied migration: add a new numbered file instead',
      );
    }
  }
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads and validates the migration folder; throws naming every misnamed, repeated or missing number. */
export async function loadMigrations(dir: string): Promise<MigrationFile[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();
  } catch (cause) {
    throw new Error(`migrations folder ${dir} cannot be read`, { cause });
  }
  const problems: string[] = [];
  const files: Array<Omit<MigrationFile, 'sql' | 'checksum'>> = [];
  for (const file of entries) {
    const m = FILE_NAME.exec(file);
    if (m === null) problems.push(`${file}: not named NNNN_name.sql`);
    else files.push({ version: Number(m[1]), name: m[2] as string, file });
  }
  files.forEach((f, i) => {
    const expected = i + 1;
    if (f.version !== expected) problems.push(`${f.file}: expected number ${String(expected).padStart(4, '0')} (numbers start at 0001, no gaps or repeats)`);
  });
  if (files.length === 0 && problems.length === 0) problems.push('no migration files');
  if (problems.length > 0) throw new Error(`bad migrations folder ${dir}:\n  ${problems.join('\n  ')}`);
  return Promise.all(
    files.map(async (f) => {
      const bytes = await readFile(join(dir, f.file));
      return { ...f, checksum: createHash('sha256').update(bytes).digest('hex'), sql: bytes.toString('utf8') };
    }),
  );
}

function tokenValues(tokens: MigrationTokens): Record<string, string> {
  const ttl = tokens.telemetry_ttl_days ?? 30;
  if (!Number.isSafeInteger(ttl) || ttl < 1) throw new Error(`telemetry_ttl_days must be a positive integer, got ${ttl}`);
  const replicated = tokens.replicated ?? '';
  if (replicated !== '' && replicated !== 'Replicated') throw new Error(`replicated must be '' or 'Replicated', got ${JSON.stringify(replicated)}`);
  return { on_cluster: tokens.on_cluster ?? '', replicated, telemetry_ttl_days: String(ttl) };
}

/** Substitutes `{{token}}`s; an unknown token fails, naming the file. */
export function renderMigration(file: Pick<MigrationFile, 'file' | 'sql'>, tokens: MigrationTokens): string {
  const values = tokenValues(tokens);
  return file.sql.replace(/\{\{\s*([A-Za-z0-9_]*)\s*\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file.file}: unknown token {{${name}}} (known: ${Object.keys(values).join(', ')})`);
    return value;
  });
}

/**
 * Splits SQL on `;` outside string literals, quoted identifiers and comments; drops parts that hold only
 * whitespace and comments.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      hasCode = true;
    } else if (c === ';') {
      if (hasCode) out.push(sql.slice(start, i).trim());
      start = i + 1;
      hasCode = false;
      i++;
    } else {
      if (!/\s/.test(c)) hasCode = true;
      i++;
    }
  }
  if (hasCode) out.push(sql.slice(start).trim());
  return out;
}

/** Index just past the closing quote; backslash escapes and doubled quotes both stay inside. */
function skipQuoted(sql: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  throw new Error(`unterminated ${quote} quote starting at offset ${open}`);
}
