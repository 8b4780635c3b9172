/**
 * The storage part of the configuration: ClickHouse (embedded chDB unless MLRUN_CLICKHOUSE_URL), Postgres
 * (embedded PGlite unless MLRUN_POSTGRES_URL) and the artifact store (the data dir unless MLRUN_S3_BUCKET).
 * Each reports its problems into the caller's list, like every other setting.
 */
import { join } from 'node:path';
import { secret, type Secret } from './secret.js';
import type { SettingKey } from './settings.js';
import {
  parseClickHouseUrl,
  parseDatabaseName,
  parsePostgresUrl,
  parseS3Bucket,
  parseS3Endpoint,
  parseS3Prefix,
  parseS3Region,
  type ClickHouseUrl,
  type Parsed,
  type PostgresUrl,
} from './values.js';

export interface EmbeddedClickHouseConfig {
  readonly kind: 'embedded';
  /** MLRun's data dir; storage keeps chDB in `<dataDir>/clickhouse`. */
  readonly dataDir: string;
}

export interface ServerClickHouseConfig {
  readonly kind: 'server';
  /** `scheme://host:port`, credentials removed: safe to print. */
  readonly url: string;
  readonly username: string;
  readonly password: Secret;
  readonly database: string;
}

export type ClickHouseConfig = EmbeddedClickHouseConfig | ServerClickHouseConfig;

export type PostgresConfig =
  | { readonly kind: 'embedded'; /** PGlite keeps its files in `<dataDir>/postgres`. */ readonly dataDir: string }
  | { readonly kind: 'server'; /** The URL, password masked: safe to print. */ readonly url: string; readonly connection: Secret };

export interface LocalArtifactStoreConfig {
  readonly kind: 'local';
  /** `<dataDir>/artifacts`. */
  readonly dir: string;
}

export interface S3ArtifactStoreConfig {
  readonly kind: 's3';
  readonly bucket: string;
  readonly region: string;
  /** `scheme://host:port` of an S3-compatible server; undefined = AWS S3. */
  readonly endpoint: string | undefined;
  /** '' or a folder ending in `/`. */
  readonly prefix: string;
  /** Both or neither; neither = the AWS SDK's default credential chain. */
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: Secret | undefined;
}

export type ArtifactStoreConfig = LocalArtifactStoreConfig | S3ArtifactStoreConfig;

export interface Raw {
  readonly text: string;
  /** Where the value came from, as the user would name it: `--port`, `MLRUN_PORT` or `default`. */
  readonly source: string;
  readonly explicit: boolean;
}

export type RawOf = (key: SettingKey) => Raw | undefined;
export type Read = <T>(key: SettingKey, parse: (text: string) => Parsed<T>, placeholder: T) => T;

/** Embedded unless MLRUN_CLICKHOUSE_URL is set; credentials from the URL or their own variables, not both. */
export function clickhouseConfig(dataDir: string, raw: RawOf, read: Read, problems: string[]): ClickHouseConfig {
  if (raw('clickhouseUrl') === undefined) return { kind: 'embedded', dataDir };
  const parsed = read<ClickHouseUrl | undefined>('clickhouseUrl', parseClickHouseUrl, undefined);
  const username = credential('clickhouseUser', parsed?.username, 'user', raw, problems);
  const password = credential('clickhousePassword', parsed?.password, 'password', raw, problems);
  return {
    kind: 'server',
    url: parsed?.url ?? '',
    username,
    password: secret(password),
    database: read('clickhouseDatabase', parseDatabaseName, 'mlrun'),
  };
}

/** Embedded PGlite in the data dir unless MLRUN_POSTGRES_URL is set. */
export function postgresConfig(dataDir: string, raw: RawOf, read: Read): PostgresConfig {
  if (raw('postgresUrl') === undefined) return { kind: 'embedded', dataDir };
  const parsed = read<PostgresUrl | undefined>('postgresUrl', parsePostgresUrl, undefined);
  return { kind: 'server', url: parsed?.display ?? '', connection: secret(parsed?.connection ?? '') };
}

const S3_DETAILS: readonly SettingKey[] = ['s3Endpoint', 's3Region', 's3Prefix', 's3AccessKeyId', 's3SecretAccessKey'];

/** `<dataDir>/artifacts` unless MLRUN_S3_BUCKET is set; S3 details without a bucket are a mistake worth naming. */
export function artifactStoreConfig(dataDir: string, raw: RawOf, read: Read, problems: string[]): ArtifactStoreConfig {
  if (raw('s3Bucket') === undefined) {
    const stray = S3_DETAILS.map(raw).filter((r) => r?.explicit === true);
    if (stray.length > 0) problems.push(`${stray.map((r) => r?.source).join(', ')}: set MLRUN_S3_BUCKET too, or artifacts stay in the data dir`);
    return { kind: 'local', dir: join(dataDir, 'artifacts') };
  }
  const accessKeyId = raw('s3AccessKeyId')?.text.trim();
  const secretAccessKey = raw('s3SecretAccessKey')?.text.trim();
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push('MLRUN_S3_ACCESS_KEY_ID and MLRUN_S3_SECRET_ACCESS_KEY: set both, or neither for the default AWS credential chain');
  }
  return {
    kind: 's3',
    bucket: read('s3Bucket', parseS3Bucket, ''),
    region: read('s3Region', parseS3Region, 'us-east-1'),
    endpoint: read<string | undefined>('s3Endpoint', parseS3Endpoint, undefined),
    prefix: read('s3Prefix', parseS3Prefix, ''),
    accessKeyId,
    secretAccessKey: secretAccessKey === undefined ? undefined : secret(secretAccessKey),
  };
}

function credential(key: 'clickhouseUser' | 'clickhousePassword', fromUrl: string | undefined, what: string, raw: RawOf, problems: string[]): string {
  const r = raw(key);
  if (fromUrl === undefined) return r?.text ?? '';
  if (r?.explicit === true && r.text !== fromUrl) {
    problems.push(`${r.source} and the ${what} in MLRUN_CLICKHOUSE_URL differ; set it in one place`);
  }
  return fromUrl;
}
