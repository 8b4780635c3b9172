/**
 * Opening the storage a process serves from: ClickHouse and Postgres (each migrated), the artifact store
 * (checked to answer), the run registry writer, and the registry's ClickHouse mirror caught up with
 * Postgres. On failure everything already opened is closed again.
 */
import { createClickHouse, createPostgres, migrate, migratePostgres, RunRegistryWriter, syncRunMirror, type ClickHouse, type ObjectStore, type Postgres } from '@mlrun/storage';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openObjectStore } from './object-store.js';

export interface OpenStorage {
  readonly ch: ClickHouse;
  readonly pg: Postgres;
  readonly objects: ObjectStore;
  readonly registry: RunRegistryWriter;
  /** Closes everything; logs what failed and says whether all closed cleanly. */
  close(logger: Logger): Promise<boolean>;
}

/** Runs one close step; logs instead of throwing so the next step still runs. */
export async function closeQuietly(what: string, target: { close(): Promise<void> }, logger: Logger): Promise<boolean> {
  try {
    await target.close();
    return true;
  } catch (error) {
    logger.error({ err: error, component: what }, `closing ${what} failed`);
    return false;
  }
}

async function openClickHouse(config: Config, logger: Logger): Promise<ClickHouse> {
  const c = config.clickhouse;
  const ch = await createClickHouse(
    c.kind === 'embedded'
      ? { kind: 'embedded', dataDir: c.dataDir }
      : { kind: 'server', url: c.url, username: c.username, password: c.password.reveal(), database: c.database },
  );
  try {
    const ping = await ch.ping();
    if (!ping.ok) throw ping.error;
    const log = logger.child({ component: 'migrate' });
    const applied = await migrate(ch, { tokens: { telemetry_ttl_days: config.telemetryTtlDays }, log: (msg) => log.info(msg) });
    log.info({ applied: applied.map((m) => m.version) }, applied.length === 0 ? 'schema up to date' : `applied ${applied.length} migration(s)`);
    return ch;
  } catch (error) {
    await closeQuietly('clickhouse', ch, logger);
    throw error;
  }
}

async function openPostgres(config: Config, logger: Logger): Promise<Postgres> {
  const c = config.postgres;
  const pg = await createPostgres(c.kind === 'embedded' ? { kind: 'embedded', dataDir: c.dataDir } : { kind: 'server', url: c.connection.reveal() });
  try {
    const ping = await pg.ping();
    if (!ping.ok) throw ping.error;
    const log = logger.child({ component: 'migrate' });
    const applied = await migratePostgres(pg, { log: (msg) => log.info(msg) });
    log.info({ applied: applied.map((m) => m.version) }, applied.length === 0 ? 'registry schema up to date' : `applied ${applied.length} registry migration(s)`);
    return pg;
  } catch (error) {
    await closeQuietly('postgres', pg, logger);
    throw error;
  }
}

export async function openStorage(config: Config, logger: Logger): Promise<OpenStorage> {
  const opened: Array<[string, { close(): Promise<void> }]> = [];
  const closeAll = async (log: Logger): Promise<boolean> => {
    let ok = true;
    for (const [what, target] of opened.reverse()) ok = (await closeQuietly(what, target, log)) && ok;
    return ok;
  };
  try {
    const ch = await openClickHouse(config, logger);
    opened.push(['clickhouse', ch]);
    const pg = await openPostgres(config, logger);
    opened.push(['postgres', pg]);
    const objects = await openObjectStore(config.artifacts);
    opened.push(['artifacts', objects]);
    const synced = await syncRunMirror(pg, ch);
    if (synced > 0) logger.info({ rows: synced }, 'run list mirror caught up with the registry');
    return { ch, pg, objects, registry: new RunRegistryWriter(pg, ch), close: closeAll };
  } catch (error) {
    await closeAll(logger);
    throw error;
  }
}

/** Where data lives, without credentials. */
export function storageLocation(config: Config): { telemetry: string; registry: string } {
  const c = config.clickhouse;
  const p = config.postgres;
  return {
    telemetry: c.kind === 'embedded' ? `${c.dataDir} (embedded chDB)` : `ClickHouse server ${c.url} (database ${c.database}, user ${c.username})`,
    registry: p.kind === 'embedded' ? `${p.dataDir} (embedded PGlite)` : `Postgres server ${p.url}`,
  };
}
