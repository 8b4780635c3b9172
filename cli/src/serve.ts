/**
 * `mlrun serve` and `mlrun query`: open storage (ClickHouse, Postgres, artifacts; migrated), start the OTLP
 * receiver (serve only) and the query API, say where everything is, and on SIGINT/SIGTERM stop the API,
 * flush every batch, then close storage.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startQueryServer, type QueryServer } from '@mlrun/query';
import { startReceiver, type Receiver } from '@mlrun/receiver';
import { knownRecordIds } from '@mlrun/storage';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { ExitCode } from './exit-codes.js';
import { createLogger } from './logger.js';
import { maxArtifactBytes } from './object-store.js';
import { printErr } from './output.js';
import { toReceiverOptions } from './receiver-options.js';
import { shutdownSignal } from './signals.js';
import { describeStartupError } from './startup-error.js';
import type { OpenStorage } from './storage.js';
import { closeQuietly, openStorage, storageLocation } from './storage.js';
import { isLoopback } from './values.js';

/** `all`: receiver + query API in one process (`mlrun serve`); `query`: the API alone (`mlrun query`). */
export type Role = 'all' | 'query';

interface Running {
  readonly storage: OpenStorage;
  readonly receiver: Receiver | undefined;
  readonly api: QueryServer;
}

type Started = { readonly ok: true; readonly running: Running } | { readonly ok: false; readonly error: unknown };

/** The dashboard's static build: `build/` of the @mlrun/ui workspace package (built by `npm install`). */
function dashboardDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@mlrun/ui/package.json')), 'build');
}

/** Runs until a signal; resolves with the process exit code. */
export async function serve(config: Config, version: string, role: Role = 'all'): Promise<number> {
  const logger = createLogger(config.logLevel);
  const stopped = shutdownSignal((signal) => {
    logger.warn({ signal }, 'second signal: exiting without waiting for the flush');
    process.exit(ExitCode.forced);
  });
  logger.info({ version, role, config: { ...config, prices: config.prices.sources } }, 'starting');
  // A signal during start-up (say, a ClickHouse server that does not answer) stops the wait: nothing has
  // been acknowledged yet, so there is nothing to flush.
  const started = await Promise.race([start(config, logger, version, role), stopped]);
  if (typeof started === 'string') {
    logger.warn({ signal: started }, 'stopped during start-up');
    return ExitCode.ok;
  }
  if (!started.ok) {
    logger.error({ err: started.error }, 'start-up failed');
    printErr(`mlrun: cannot start: ${describeStartupError(started.error, config)}`);
    return ExitCode.failure;
  }
  const { storage, receiver, api } = started.running;
  announce(config, started.running, version, logger);
  const signal = await stopped;
  logger.info({ signal }, receiver ? 'shutting down: flushing every batch' : 'shutting down');
  const apiOk = await closeQuietly('query API', api, logger);
  const receiverOk = receiver === undefined || (await closeQuietly('receiver', receiver, logger));
  const storageOk = await storage.close(logger);
  logger.info('stopped');
  return apiOk && receiverOk && storageOk ? ExitCode.ok : ExitCode.failure;
}

/** Storage, receiver, query API; on failure closes whatever it opened. */
async function start(config: Config, logger: Logger, version: string, role: Role): Promise<Started> {
  let storage: OpenStorage | undefined;
  let receiver: Receiver | undefined;
  try {
    storage = await openStorage(config, logger);
    const { ch, pg, objects, registry } = storage;
    if (role === 'all') {
      const recordIds = { known: (project: string, ids: readonly string[]) => knownRecordIds(ch, project, ids) };
      receiver = await startReceiver(toReceiverOptions(config), { sink: ch, registry, recordIds, logger: logger.child({ component: 'receiver' }) });
    }
    const api = await startQueryServer(
      { host: config.host, port: config.port },
      {
        clickhouse: ch,
        postgres: pg,
        objects,
        registry,
        maxArtifactBytes: maxArtifactBytes(config.artifacts),
        crashAfterMs: config.crashTimeoutS * 1000,
        logger: logger.child({ component: 'query' }),
        version,
        uiDir: dashboardDir(),
        prices: config.prices,
      },
    );
    return { ok: true, running: { storage, receiver, api } };
  } catch (error) {
    if (receiver !== undefined) await closeQuietly('receiver', receiver, logger);
    if (storage !== undefined) await storage.close(logger);
    return { ok: false, error };
  }
}

function announce(config: Config, { receiver, api, storage }: Running, version: string, logger: Logger): void {
  const httpUrl = receiver === undefined ? undefined : receiver.httpAddress.startsWith('http') ? receiver.httpAddress : `http://${receiver.httpAddress}`;
  const open = !isLoopback(config.host);
  const where = storageLocation(config);
  logger.info(
    { otlpGrpc: receiver?.grpcAddress, otlpHttp: httpUrl, api: api.url, telemetry: where.telemetry, registry: where.registry, artifacts: storage.objects.description, dataDir: config.dataDir },
    'listening',
  );
  if (open) {
    logger.warn({ host: config.host }, 'no authentication yet: anyone who can reach this host can read and write; bind to 127.0.0.1 unless that is intended');
  }
  const embedded = config.clickhouse.kind === 'embedded' || config.postgres.kind === 'embedded';
  printErr(
    [
      receiver ? `MLRun ${version} is running` : `MLRun ${version} query API is running (no OTLP receiver in this process)`,
      ...(receiver ? [`  OTLP gRPC  ${receiver.grpcAddress}`, `  OTLP HTTP  ${httpUrl ?? ''}`] : []),
      existsSync(join(dashboardDir(), 'index.html')) ? `  UI         ${api.url}` : `  UI         not built (run: npm run build -w ui)`,
      `  API        ${api.url}/api/v1  (OpenAPI: ${api.url}/api/v1/openapi.json)`,
      `  telemetry  ${where.telemetry}`,
      `  registry   ${where.registry}`,
      `  artifacts  ${storage.objects.description}`,
      ...(receiver === undefined && embedded ? ['  NOTE       embedded storage: no other mlrun process may use this data dir at the same time'] : []),
      open ? `  WARNING    listening on ${config.host} without authentication` : '  access     loopback only, no authentication',
      receiver ? 'Ctrl+C stops after flushing every batch; a second Ctrl+C exits at once.' : 'Ctrl+C stops.',
    ].join('\n'),
  );
}
