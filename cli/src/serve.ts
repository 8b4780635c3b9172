/**
 * `mlrun serve`: open ClickHouse (embedded chDB or a server), migrate, start the OTLP receiver and the query
 * API, say where everything is, and on SIGINT/SIGTERM stop the API, flush every batch, then close storage.
 */
import { startQueryServer, type QueryServer } from '@mlrun/query';
import { startReceiver, type Receiver } from '@mlrun/receiver';
import { createClickHouse, migrate, type ClickHouse } from '@mlrun/storage';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { ExitCode } from './exit-codes.js';
import { createLogger } from './logger.js';
import { printErr } from './output.js';
import { toReceiverOptions } from './receiver-options.js';
import { shutdownSignal } from './signals.js';
import { describeStartupError } from './startup-error.js';
import { isLoopback } from './values.js';

interface Running {
  readonly ch: ClickHouse;
  readonly receiver: Receiver;
  readonly api: QueryServer;
}

type Started = { readonly ok: true; readonly running: Running } | { readonly ok: false; readonly error: unknown };

/** Runs until a signal; resolves with the process exit code. */
export async function serve(config: Config, version: string): Promise<number> {
  const logger = createLogger(config.logLevel);
  const stopped = shutdownSignal((signal) => {
    logger.warn({ signal }, 'second signal: exiting without waiting for the flush');
    process.exit(ExitCode.forced);
  });
  logger.info({ version, config }, 'starting');
  // A signal during start-up (say, a ClickHouse server that does not answer) stops the wait: nothing has
  // been acknowledged yet, so there is nothing to flush.
  const started = await Promise.race([start(config, logger, version), stopped]);
  if (typeof started === 'string') {
    logger.warn({ signal: started }, 'stopped during start-up');
    return ExitCode.ok;
  }
  if (!started.ok) {
    logger.error({ err: started.error }, 'start-up failed');
    printErr(`mlrun: cannot start: ${describeStartupError(started.error, config)}`);
    return ExitCode.failure;
  }
  const { ch, receiver, api } = started.running;
  announce(config, started.running, version, logger);
  const signal = await stopped;
  logger.info({ signal }, 'shutting down: flushing every batch');
  const apiOk = await closeQuietly('query API', api, logger);
  const receiverOk = await closeQuietly('receiver', receiver, logger);
  const storageOk = await closeQuietly('clickhouse', ch, logger);
  logger.info('stopped');
  return apiOk && receiverOk && storageOk ? ExitCode.ok : ExitCode.failure;
}

/** ClickHouse, migrations, receiver, query API; on failure closes whatever it opened. */
async function start(config: Config, logger: Logger, version: string): Promise<Started> {
  let ch: ClickHouse | undefined;
  let receiver: Receiver | undefined;
  try {
    ch = await openClickHouse(config, logger);
    receiver = await startReceiver(toReceiverOptions(config), { sink: ch, logger: logger.child({ component: 'receiver' }) });
    const api = await startQueryServer({ host: config.host, port: config.port }, { clickhouse: ch, logger: logger.child({ component: 'query' }), version });
    return { ok: true, running: { ch, receiver, api } };
  } catch (error) {
    if (receiver !== undefined) await closeQuietly('receiver', receiver, logger);
    if (ch !== undefined) await closeQuietly('clickhouse', ch, logger);
    return { ok: false, error };
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

/** Where data lives, without credentials. */
function storageLocation(config: Config): string {
  const c = config.clickhouse;
  return c.kind === 'embedded' ? `${c.dataDir} (embedded chDB)` : `ClickHouse server ${c.url} (database ${c.database}, user ${c.username})`;
}

function announce(config: Config, { receiver, api }: Running, version: string, logger: Logger): void {
  const httpUrl = receiver.httpAddress.startsWith('http') ? receiver.httpAddress : `http://${receiver.httpAddress}`;
  const open = !isLoopback(config.host);
  logger.info(
    { otlpGrpc: receiver.grpcAddress, otlpHttp: httpUrl, api: api.url, storage: storageLocation(config), dataDir: config.dataDir },
    'listening',
  );
  if (open) {
    logger.warn({ host: config.host }, 'no authentication yet: anyone who can reach this host can write telemetry; bind to 127.0.0.1 unless that is intended');
  }
  printErr(
    [
      `MLRun ${version} is running`,
      `  OTLP gRPC  ${receiver.grpcAddress}`,
      `  OTLP HTTP  ${httpUrl}`,
      `  API        ${api.url}/api/v1  (OpenAPI: ${api.url}/api/v1/openapi.json; the dashboard arrives in a later release)`,
      `  data       ${storageLocation(config)}`,
      open ? `  WARNING    listening on ${config.host} without authentication` : '  access     loopback only, no authentication',
      'Ctrl+C stops after flushing every batch; a second Ctrl+C exits at once.',
    ].join('\n'),
  );
}

/** Runs one close step; logs instead of throwing so the next step still runs. */
async function closeQuietly(what: string, target: { close(): Promise<void> }, logger: Logger): Promise<boolean> {
  try {
    await target.close();
    return true;
  } catch (error) {
    logger.error({ err: error, component: what }, `closing ${what} failed`);
    return false;
  }
}
