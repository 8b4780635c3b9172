/**
 * Every setting `mlrun serve` understands: its flag (if it has one), its environment variable, its default
 * and what it means. `loadConfig` reads through this table and `--help` prints it, so the two cannot drift;
 * docs/configuration.md mirrors it for readers.
 */

export type SettingKey =
  | 'dataDir'
  | 'host'
  | 'port'
  | 'otlpGrpcPort'
  | 'otlpHttpPort'
  | 'maxMessageMb'
  | 'memoryBudgetMb'
  | 'flushIntervalMs'
  | 'telemetryTtlDays'
  | 'logLevel'
  | 'clickhouseUrl'
  | 'clickhouseUser'
  | 'clickhousePassword'
  | 'clickhouseDatabase'
  | 'postgresUrl'
  | 'crashTimeoutS'
  | 'maxArtifactMb'
  | 'pricesFile'
  | 's3Bucket'
  | 's3Endpoint'
  | 's3Region'
  | 's3Prefix'
  | 's3AccessKeyId'
  | 's3SecretAccessKey';

export interface Setting {
  readonly key: SettingKey;
  /** Long flag name without dashes; settings without a flag are environment-only (secrets, server wiring). */
  readonly flag?: string;
  readonly env: string;
  /** The default as the user would type it; `undefined` means "unset" (e.g. no ClickHouse URL → embedded). */
  readonly fallback: string | undefined;
  readonly help: string;
}

const table: Readonly<Record<SettingKey, Omit<Setting, 'key'>>> = {
  dataDir: { flag: 'data-dir', env: 'MLRUN_DATA_DIR', fallback: './.mlrun', help: 'where embedded data lives (resolved to an absolute path)' },
  host: { flag: 'host', env: 'MLRUN_HOST', fallback: '127.0.0.1', help: 'interface every listener binds to' },
  otlpGrpcPort: { flag: 'otlp-grpc-port', env: 'MLRUN_OTLP_GRPC_PORT', fallback: '4317', help: 'OTLP/gRPC port (0 picks a free port)' },
  otlpHttpPort: { flag: 'otlp-http-port', env: 'MLRUN_OTLP_HTTP_PORT', fallback: '4318', help: 'OTLP/HTTP port (0 picks a free port)' },
  port: { flag: 'port', env: 'MLRUN_PORT', fallback: '3000', help: 'dashboard and query API port (http://host:port, API under /api/v1)' },
  maxMessageMb: { flag: 'max-message-mb', env: 'MLRUN_OTLP_MAX_MESSAGE_MB', fallback: '64', help: 'largest OTLP request accepted, after decompression (MiB)' },
  memoryBudgetMb: { flag: 'memory-budget-mb', env: 'MLRUN_INGEST_MEMORY_MB', fallback: '256', help: 'rows waiting to be written; beyond it clients get retryable backpressure (MiB)' },
  flushIntervalMs: { flag: 'flush-interval-ms', env: 'MLRUN_FLUSH_INTERVAL_MS', fallback: '100', help: 'longest a row waits in a batch before it is written (1-1000 ms)' },
  logLevel: { flag: 'log-level', env: 'MLRUN_LOG_LEVEL', fallback: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
  telemetryTtlDays: { env: 'MLRUN_TELEMETRY_TTL_DAYS', fallback: '30', help: 'days telemetry without a run id is kept (fixed when the tables are created)' },
  clickhouseUrl: { env: 'MLRUN_CLICKHOUSE_URL', fallback: undefined, help: 'http(s)://[user[:password]@]host:port of a ClickHouse server; unset = embedded chDB' },
  clickhouseUser: { env: 'MLRUN_CLICKHOUSE_USER', fallback: 'default', help: 'ClickHouse user (server mode; may also come from the URL)' },
  clickhousePassword: { env: 'MLRUN_CLICKHOUSE_PASSWORD', fallback: '', help: 'ClickHouse password (server mode; may also come from the URL; never printed)' },
  clickhouseDatabase: { env: 'MLRUN_CLICKHOUSE_DATABASE', fallback: 'mlrun', help: 'ClickHouse database (server mode)' },
  postgresUrl: { env: 'MLRUN_POSTGRES_URL', fallback: undefined, help: 'postgres://[user[:password]@]host[:port]/database of a Postgres 15+ server for the run registry; unset = embedded PGlite' },
  crashTimeoutS: { flag: 'crash-timeout-s', env: 'MLRUN_CRASH_TIMEOUT_S', fallback: '300', help: 'a running run silent this many seconds reads as crashed (10-604800)' },
  maxArtifactMb: { flag: 'max-artifact-mb', env: 'MLRUN_ARTIFACT_MAX_MB', fallback: '10240', help: 'largest artifact an upload may store (MiB); larger ones get 413' },
  pricesFile: { flag: 'prices', env: 'MLRUN_PRICES_FILE', fallback: undefined, help: 'JSON file of model prices (USD per million tokens) that overrides and extends the built-in table for trace costs' },
  s3Bucket: { env: 'MLRUN_S3_BUCKET', fallback: undefined, help: 'S3 bucket for artifact bytes; unset = <data-dir>/artifacts' },
  s3Endpoint: { env: 'MLRUN_S3_ENDPOINT', fallback: undefined, help: 'http(s)://host:port of an S3-compatible server (MinIO, Ceph, …); unset = AWS S3' },
  s3Region: { env: 'MLRUN_S3_REGION', fallback: 'us-east-1', help: 'S3 region' },
  s3Prefix: { env: 'MLRUN_S3_PREFIX', fallback: '', help: 'folder in the bucket that holds every artifact (e.g. mlrun/)' },
  s3AccessKeyId: { env: 'MLRUN_S3_ACCESS_KEY_ID', fallback: undefined, help: "S3 access key id; unset = the AWS SDK's default credential chain" },
  s3SecretAccessKey: { env: 'MLRUN_S3_SECRET_ACCESS_KEY', fallback: undefined, help: 'S3 secret access key (with the key id; never printed)' },
};

const byKey = Object.fromEntries(
  (Object.keys(table) as SettingKey[]).map((key) => [key, Object.freeze({ key, ...table[key] })]),
) as Readonly<Record<SettingKey, Setting>>;

/** Every setting, in the order `--help` and the docs list them. */
export const settings: readonly Setting[] = Object.freeze(Object.values(byKey));

export function settingFor(key: SettingKey): Setting {
  return byKey[key];
}
