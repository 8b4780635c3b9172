/**
 * Pure parsers for single setting values. Each returns a tagged result instead of throwing, so
 * `loadConfig` can collect every problem before it reports any.
 */
import { isIP } from 'node:net';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

/** A decimal integer in [min, max]; no sign, exponent, hex or fraction. */
export function parseIntInRange(raw: string, min: number, max: number): Parsed<number> {
  const text = raw.trim();
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  return value >= min && value <= max ? ok(value) : fail(`an integer ${min}-${max}`);
}

export function parsePort(raw: string): Parsed<number> {
  return parseIntInRange(raw, 0, 65_535);
}

const hostnamePattern = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An IPv4/IPv6 address or a DNS name to bind to (`[::1]` is accepted and unbracketed). */
export function parseHost(raw: string): Parsed<string> {
  const text = raw.trim();
  const unbracketed = /^\[.*\]$/.test(text) ? text.slice(1, -1) : text;
  if (isIP(unbracketed) !== 0) return ok(unbracketed);
  return hostnamePattern.test(text) ? ok(text) : fail('an IP address or host name');
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export function parseLogLevel(raw: string): Parsed<LogLevel> {
  const text = raw.trim().toLowerCase();
  const level = logLevels.find((l) => l === text);
  return level === undefined ? fail(`one of ${logLevels.join(', ')}`) : ok(level);
}

export function parseNonEmpty(raw: string): Parsed<string> {
  return raw.trim() === '' ? fail('a non-empty value') : ok(raw.trim());
}

/** A ClickHouse database name we can put in SQL without quoting. */
export function parseDatabaseName(raw: string): Parsed<string> {
  const text = raw.trim();
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(text) ? ok(text) : fail('a database name of letters, digits and _');
}

export interface ClickHouseUrl {
  /** `scheme://host[:port]` — no credentials, path or query. */
  readonly url: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
}

/** A URL with one of `schemes` and a host; `expected` names what was wanted in the failure. */
function serverUrl(raw: string, expected: string, schemes: readonly string[]): Parsed<URL> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail(expected);
  }
  if (!schemes.includes(url.protocol)) return fail(`${expected} (scheme must be ${schemes.map((s) => s.slice(0, -1)).join(' or ')})`);
  if (url.hostname === '') return fail(`${expected} (no host)`);
  return ok(url);
}

/** `http(s)://[user[:password]@]host[:port][/]`; credentials are split out so the URL can be printed. */
export function parseClickHouseUrl(raw: string): Parsed<ClickHouseUrl> {
  const expected = 'an http(s)://[user[:password]@]host[:port] URL';
  const parsed = serverUrl(raw, expected, ['http:', 'https:']);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  if (url.pathname !== '/' && url.pathname !== '') return fail(`${expected} (no path: set the database with MLRUN_CLICKHOUSE_DATABASE)`);
  if (url.search !== '' || url.hash !== '') return fail(`${expected} (no query or fragment)`);
  const username = decodeUserinfo(url.username);
  const password = decodeUserinfo(url.password);
  if (username === null || password === null) return fail(`${expected} (malformed %-escape in the credentials)`);
  return ok({ url: `${url.protocol}//${url.host}`, username, password });
}

/** `undefined` when absent, `null` when the %-escapes are malformed. */
function decodeUserinfo(part: string): string | undefined | null {
  if (part === '') return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export interface PostgresUrl {
  /** The URL with its password masked: safe to print. */
  readonly display: string;
  /** The URL as given, for the driver. */
  readonly connection: string;
}

/** A Postgres connection URL: postgres(ql)://[user[:password]@]host[:port]/database[?params]. */
export function parsePostgresUrl(raw: string): Parsed<PostgresUrl> {
  const expected = 'a postgres://[user[:password]@]host[:port]/database URL';
  const parsed = serverUrl(raw, expected, ['postgres:', 'postgresql:']);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  if (url.pathname.length <= 1) return fail(`${expected} (no database)`);
  const display = new URL(url.href);
  if (display.password !== '') display.password = 'redacted';
  return ok({ display: display.href.replace(':redacted@', ':[redacted]@'), connection: raw.trim() });
}

/** An S3 bucket name: 3-63 lowercase letters, digits, `.` and `-`, starting and ending with a letter or digit. */
export function parseS3Bucket(raw: string): Parsed<string> {
  const text = raw.trim();
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(text) ? ok(text) : fail('an S3 bucket name (3-63 lowercase letters, digits, . and -)');
}

/** `http(s)://host[:port]` of an S3-compatible server; credentials have their own variables. */
export function parseS3Endpoint(raw: string): Parsed<string> {
  const expected = 'an http(s)://host[:port] URL';
  const parsed = serverUrl(raw, expected, ['http:', 'https:']);
  if (!parsed.ok) return parsed;
  const url = parsed.value;
  if (url.username !== '' || url.password !== '') return fail(`${expected} (no credentials: use MLRUN_S3_ACCESS_KEY_ID / MLRUN_S3_SECRET_ACCESS_KEY)`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return fail(`${expected} (no path, query or fragment: the bucket has its own variable)`);
  return ok(`${url.protocol}//${url.host}`);
}

export function parseS3Region(raw: string): Parsed<string> {
  const text = raw.trim();
  return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? ok(text) : fail('a region name of letters, digits, _ and -');
}

/** '' or a relative folder (`mlrun`, `teams/ml/`): segments of letters, digits, `.`, `_`, `-`, none `.` or `..`. */
export function parseS3Prefix(raw: string): Parsed<string> {
  const text = raw.trim().replace(/\/$/, '');
  if (text === '') return ok('');
  const segments = text.split('/');
  const good = segments.every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== '.' && s !== '..');
  return good ? ok(`${text}/`) : fail('a folder like mlrun/ (segments of letters, digits, . _ -; no . or .. segments)');
}
