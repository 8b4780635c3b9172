/**
 * The process's configuration, parsed once from flags and environment (flags beat environment beat
 * defaults), validated with every problem reported at once, and frozen. This is the only module that
 * interprets argv and environment values; callers pass them in.
 */
import { resolve } from 'node:path';
import type { PriceTable } from '@mlrun/query';
import { DEFAULT_PRICES, loadPriceTable, PriceTableError } from '@mlrun/query';
import { parseServeArgs } from './args.js';
import { redactUrlPassword } from './secret.js';
import { settingFor, type SettingKey } from './settings.js';
import type { ArtifactStoreConfig, ClickHouseConfig, PostgresConfig, Raw } from './storage-config.js';
import { artifactStoreConfig, clickhouseConfig, postgresConfig } from './storage-config.js';
import { parseHost, parseIntInRange, parseLogLevel, parseNonEmpty, parsePort, type LogLevel, type Parsed } from './values.js';

export type { LogLevel } from './values.js';

export type {
  ArtifactStoreConfig,
  ClickHouseConfig,
  EmbeddedClickHouseConfig,
  LocalArtifactStoreConfig,
  PostgresConfig,
  S3ArtifactStoreConfig,
  ServerClickHouseConfig,
} from './storage-config.js';

export interface ArtifactsConfig {
  /** Where artifact bytes go: a folder of the data dir unless MLRUN_S3_BUCKET is set. */
  readonly store: ArtifactStoreConfig;
  /** Largest artifact an upload may store, in MiB. */
  readonly maxMb: number;
}

export interface Config {
  /** Absolute path of everything embedded mode stores. */
  readonly dataDir: string;
  /** Interface the OTLP listeners (and later the API/UI) bind to. */
  readonly host: string;
  /** Query API port (and, with the dashboard issue, the UI). */
  readonly port: number;
  readonly otlp: {
    readonly grpcPort: number;
    readonly httpPort: number;
    /** Largest accepted OTLP request after decompression, in MiB. */
    readonly maxMessageMb: number;
  };
  readonly ingest: {
    /** Memory for rows waiting to be written, in MiB; beyond it clients get retryable backpressure. */
    readonly memoryBudgetMb: number;
    /** Longest a row waits in a batch, 1-1000 ms. */
    readonly flushIntervalMs: number;
  };
  readonly clickhouse: ClickHouseConfig;
  /** The run registry: embedded PGlite unless MLRUN_POSTGRES_URL is set. */
  readonly postgres: PostgresConfig;
  readonly artifacts: ArtifactsConfig;
  /** A `running` run silent this long reads as `crashed`, in seconds. */
  readonly crashTimeoutS: number;
  /** Days telemetry without a run id is kept (the migrator's `telemetry_ttl_days` token, fixed at table creation). */
  readonly telemetryTtlDays: number;
  readonly logLevel: LogLevel;
  /** Model prices for trace costs: the built-in table, overridden and extended by MLRUN_PRICES_FILE / --prices. */
  readonly prices: PriceTable;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigInput {
  /** Arguments after the command name, e.g. `['--port', '3001']` for `mlrun serve --port 3001`. */
  readonly argv: readonly string[];
  readonly env: Env;
  /** Base for a relative data dir; defaults to the process's working directory. */
  readonly cwd?: string;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

/** Parses and validates; throws one ConfigError listing every problem. `--help` is the caller's business. */
export function loadConfig(input: LoadConfigInput): Config {
  const args = parseServeArgs(input.argv);
  const problems = [...args.problems];
  const raw = (key: SettingKey): Raw | undefined => pickRaw(key, args.values, input.env);
  // Defaults live in settings.ts and are parsed like any other value; `placeholder` only stands in for a
  // value that failed to parse, while the remaining problems are collected.
  const read = <T>(key: SettingKey, parse: (text: string) => Parsed<T>, placeholder: T): T => {
    const r = raw(key);
    if (r === undefined) return placeholder;
    const parsed = parse(r.text);
    if (parsed.ok) return parsed.value;
    problems.push(`${r.source}: expected ${parsed.expected}, got '${redactUrlPassword(r.text)}'`);
    return placeholder;
  };

  const dataDir = resolve(input.cwd ?? process.cwd(), read('dataDir', parseNonEmpty, '.mlrun'));
  const ports = {
    otlpGrpcPort: read('otlpGrpcPort', parsePort, 4317),
    otlpHttpPort: read('otlpHttpPort', parsePort, 4318),
    port: read('port', parsePort, 3000),
  };
  problems.push(...portClashes(ports, raw));
  const config: Config = {
    dataDir,
    host: read('host', parseHost, '127.0.0.1'),
    port: ports.port,
    otlp: {
      grpcPort: ports.otlpGrpcPort,
      httpPort: ports.otlpHttpPort,
      maxMessageMb: read('maxMessageMb', (t) => parseIntInRange(t, 1, 2047), 64),
    },
    ingest: {
      memoryBudgetMb: read('memoryBudgetMb', (t) => parseIntInRange(t, 1, 1_048_576), 256),
      flushIntervalMs: read('flushIntervalMs', (t) => parseIntInRange(t, 1, 1000), 100),
    },
    clickhouse: clickhouseConfig(dataDir, raw, read, problems),
    postgres: postgresConfig(dataDir, raw, read),
    artifacts: {
      store: artifactStoreConfig(dataDir, raw, read, problems),
      maxMb: read('maxArtifactMb', (t) => parseIntInRange(t, 1, 1_048_576), 10_240),
    },
    crashTimeoutS: read('crashTimeoutS', (t) => parseIntInRange(t, 10, 604_800), 300),
    telemetryTtlDays: read('telemetryTtlDays', (t) => parseIntInRange(t, 1, 36_500), 30),
    logLevel: read('logLevel', parseLogLevel, 'info'),
    prices: priceTable(raw('pricesFile'), input.cwd, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** The price file (relative to cwd) read and checked now, its problems listed with the others. */
function priceTable(r: Raw | undefined, cwd: string | undefined, problems: string[]): PriceTable {
  if (r === undefined) return DEFAULT_PRICES;
  try {
    return loadPriceTable(resolve(cwd ?? process.cwd(), r.text));
  } catch (error) {
    if (!(error instanceof PriceTableError)) throw error;
    problems.push(...error.problems.map((p) => `${r.source}: ${r.text}: ${p}`));
    return DEFAULT_PRICES;
  }
}

/** Flag, else non-empty environment variable, else the setting's default. */
function pickRaw(key: SettingKey, flags: Partial<Record<SettingKey, string>>, env: Env): Raw | undefined {
  const setting = settingFor(key);
  const flag = flags[key];
  if (flag !== undefined && setting.flag !== undefined) return { text: flag, source: `--${setting.flag}`, explicit: true };
  const fromEnv = env[setting.env];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { text: fromEnv, source: setting.env, explicit: true };
  return setting.fallback === undefined ? undefined : { text: setting.fallback, source: 'default', explicit: false };
}

type PortKey = 'otlpGrpcPort' | 'otlpHttpPort' | 'port';

function portClashes(ports: Readonly<Record<PortKey, number>>, raw: (key: SettingKey) => Raw | undefined): string[] {
  const keys: PortKey[] = ['otlpGrpcPort', 'otlpHttpPort', 'port'];
  const name = (key: PortKey): string => {
    const r = raw(key);
    return r?.explicit === true ? r.source : `--${settingFor(key).flag ?? key} (default)`;
  };
  const problems: string[] = [];
  keys.forEach((a, i) => {
    for (const b of keys.slice(i + 1)) {
      if (ports[a] !== 0 && ports[a] === ports[b]) {
        problems.push(`${name(a)} and ${name(b)}: both are ${ports[a]}; every listener needs its own port`);
      }
    }
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
