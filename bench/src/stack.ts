/**
 * The embedded stack the read benchmarks measure, wired as `mlrun serve` wires it: chDB + PGlite in one
 * data directory, the receiver with the run registry, and the query API (serving ui/build when given).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startQueryServer } from '@mlrun/query';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import type { ClickHouse } from '@mlrun/storage';
import { createClickHouse, createObjectStore, createPostgres, migrate, migratePostgres, RunRegistryWriter } from '@mlrun/storage';
import { pino } from 'pino';

/** The dashboard's build, served by the API when a bench drives the browser. */
export const UI_BUILD = fileURLToPath(new URL('../../ui/build', import.meta.url));

export interface StackOptions {
  /** Serve the dashboard from this directory. */
  readonly uiDir?: string;
  /** Silence before a running run reads as crashed. */
  readonly crashAfterMs?: number;
}

export interface Stack {
  /** The API's base URL (http://host:port). */
  readonly api: string;
  /** host:port of OTLP/HTTP. */
  readonly otlpHttp: string;
  readonly clickhouse: ClickHouse;
  close(): Promise<void>;
}

export async function startStack(dataDir: string, options: StackOptions = {}): Promise<Stack> {
  const logger = pino({ level: 'warn' });
  const [ch, pg] = await Promise.all([createClickHouse({ kind: 'embedded', dataDir }), createPostgres({ kind: 'embedded', dataDir })]);
  await Promise.all([migrate(ch), migratePostgres(pg)]);
  const objects = await createObjectStore({ kind: 'local', dir: join(dataDir, 'artifacts') });
  const registry = new RunRegistryWriter(pg, ch);
  const receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: ch, registry, logger });
  const deps = { clickhouse: ch, postgres: pg, objects, registry, logger, version: 'bench', ...options };
  const api = await startQueryServer({ host: '127.0.0.1', port: 0 }, deps);
  return {
    api: api.url,
    otlpHttp: receiver.httpAddress,
    clickhouse: ch,
    async close() {
      await api.close();
      await receiver.close();
      await Promise.all([ch.close(), pg.close(), objects.close()]);
    },
  };
}
