import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { DEFAULT_PRICES } from '@mlrun/query';
import t from 'tap';
import { ConfigError, loadConfig, type Config, type LoadConfigInput } from '../src/config.js';

const cwd = '/srv/mlrun-test';

function load(argv: readonly string[] = [], env: LoadConfigInput['env'] = {}): Config {
  return loadConfig({ argv, env, cwd });
}

function problemsOf(argv: readonly string[], env: LoadConfigInput['env'] = {}): readonly string[] {
  try {
    load(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

t.test('defaults: embedded ClickHouse in ./.mlrun, OTLP on 4317/4318, API port 3000, loopback', async (t) => {
  t.same(load(), {
    dataDir: '/srv/mlrun-test/.mlrun',
    host: '127.0.0.1',
    port: 3000,
    otlp: { grpcPort: 4317, httpPort: 4318, maxMessageMb: 64 },
    ingest: { memoryBudgetMb: 256, flushIntervalMs: 100 },
    clickhouse: { kind: 'embedded', dataDir: '/srv/mlrun-test/.mlrun' },
    postgres: { kind: 'embedded', dataDir: '/srv/mlrun-test/.mlrun' },
    artifacts: { store: { kind: 'local', dir: '/srv/mlrun-test/.mlrun/artifacts' }, maxMb: 10_240 },
    crashTimeoutS: 300,
    telemetryTtlDays: 30,
    logLevel: 'info',
    prices: DEFAULT_PRICES,
  });
});

t.test('precedence: flag beats environment beats default, setting by setting', async (t) => {
  const env = { MLRUN_OTLP_GRPC_PORT: '5317', MLRUN_OTLP_HTTP_PORT: '5318', MLRUN_LOG_LEVEL: 'debug', MLRUN_DATA_DIR: '/data/env' };
  const config = load(['--otlp-grpc-port', '6317', '--data-dir=rel/flag'], env);
  t.equal(config.otlp.grpcPort, 6317, 'flag over env');
  t.equal(config.dataDir, '/srv/mlrun-test/rel/flag', 'flag over env, relative path resolved against cwd');
  t.equal(config.otlp.httpPort, 5318, 'env over default');
  t.equal(config.logLevel, 'debug', 'env over default');
  t.equal(config.port, 3000, 'default when neither is given');
  t.equal(config.clickhouse.kind === 'embedded' && config.clickhouse.dataDir, '/srv/mlrun-test/rel/flag', 'embedded data follows the data dir');
});

t.test('every flag and its environment variable reach the config', async (t) => {
  const flags = load([
    '--data-dir', '/d', '--host', '0.0.0.0', '--port', '3100', '--otlp-grpc-port', '4417', '--otlp-http-port', '4418',
    '--max-message-mb', '16', '--memory-budget-mb', '512', '--flush-interval-ms', '1000', '--log-level', 'warn', '--max-artifact-mb', '2048',
    '--crash-timeout-s', '60',
  ]);
  const env = load([], {
    MLRUN_DATA_DIR: '/d', MLRUN_HOST: '0.0.0.0', MLRUN_PORT: '3100', MLRUN_OTLP_GRPC_PORT: '4417', MLRUN_OTLP_HTTP_PORT: '4418',
    MLRUN_OTLP_MAX_MESSAGE_MB: '16', MLRUN_INGEST_MEMORY_MB: '512', MLRUN_FLUSH_INTERVAL_MS: '1000', MLRUN_LOG_LEVEL: 'warn',
    MLRUN_ARTIFACT_MAX_MB: '2048', MLRUN_CRASH_TIMEOUT_S: '60',
  });
  const expected = {
    dataDir: '/d', host: '0.0.0.0', port: 3100, otlp: { grpcPort: 4417, httpPort: 4418, maxMessageMb: 16 },
    ingest: { memoryBudgetMb: 512, flushIntervalMs: 1000 }, clickhouse: { kind: 'embedded', dataDir: '/d' },
    postgres: { kind: 'embedded', dataDir: '/d' }, artifacts: { store: { kind: 'local', dir: '/d/artifacts' }, maxMb: 2048 },
    crashTimeoutS: 60, telemetryTtlDays: 30, logLevel: 'warn', prices: DEFAULT_PRICES,
  };
  t.same(flags, expected, 'from flags');
  t.same(env, expected, 'from the environment');
  t.equal(load([], { MLRUN_TELEMETRY_TTL_DAYS: '7' }).telemetryTtlDays, 7);
});

t.test('MLRUN_POSTGRES_URL: a Postgres server for the registry, its password never printed', async (t) => {
  const config = load([], { MLRUN_POSTGRES_URL: 'postgresql://mlrun:s3cr%40t@db.internal:5433/registry?sslmode=require' });
  t.equal(config.postgres.kind, 'server');
  if (config.postgres.kind !== 'server') return;
  t.equal(config.postgres.url, 'postgresql://mlrun:[redacted]@db.internal:5433/registry?sslmode=require');
  t.equal(config.postgres.connection.reveal(), 'postgresql://mlrun:s3cr%40t@db.internal:5433/registry?sslmode=require');
  t.notMatch(JSON.stringify(config), 's3cr', 'the config serialises without the password');
  t.same(problemsOf([], { MLRUN_POSTGRES_URL: 'mysql://h/db' }), ["MLRUN_POSTGRES_URL: expected a postgres://[user[:password]@]host[:port]/database URL (scheme must be postgres or postgresql), got 'mysql://h/db'"]);
  t.same(problemsOf([], { MLRUN_POSTGRES_URL: 'postgres://u:pw@h:5432' }), ["MLRUN_POSTGRES_URL: expected a postgres://[user[:password]@]host[:port]/database URL (no database), got 'postgres://u:[redacted]@h:5432'"]);
  t.same(problemsOf(['--crash-timeout-s', '5'], {}), ["--crash-timeout-s: expected an integer 10-604800, got '5'"]);
});

t.test('empty environment variables count as unset', async (t) => {
  t.equal(load([], { MLRUN_PORT: '', MLRUN_HOST: '  ' }).port, 3000);
  t.equal(load([], { MLRUN_CLICKHOUSE_URL: '' }).clickhouse.kind, 'embedded');
});

t.test('every problem is reported at once, naming where the value came from', async (t) => {
  const problems = problemsOf(
    ['--otlp-grpc-port', 'abc', '--frobnicate', '--port', '--flush-interval-ms', '0', 'stray', '--log-level=loud', '--max-message-mb', '1.5'],
    {
      MLRUN_OTLP_HTTP_PORT: '70000', MLRUN_HOST: 'not a host', MLRUN_INGEST_MEMORY_MB: '-1', MLRUN_TELEMETRY_TTL_DAYS: 'forever',
      MLRUN_DATA_DIR: ' ',
    },
  );
  t.same([...problems].sort(), [
    "--flush-interval-ms: expected an integer 1-1000, got '0'",
    '--frobnicate: unknown flag',
    "--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got 'loud'",
    "--max-message-mb: expected an integer 1-2047, got '1.5'",
    "--otlp-grpc-port: expected an integer 0-65535, got 'abc'",
    '--port: expected a value',
    "MLRUN_HOST: expected an IP address or host name, got 'not a host'",
    "MLRUN_INGEST_MEMORY_MB: expected an integer 1-1048576, got '-1'",
    "MLRUN_OTLP_HTTP_PORT: expected an integer 0-65535, got '70000'",
    "MLRUN_TELEMETRY_TTL_DAYS: expected an integer 1-36500, got 'forever'",
    "unexpected argument 'stray'",
  ]);
  t.equal(problems.length, 11, 'one line per problem');
});

t.test('a ConfigError lists its problems in its message', async (t) => {
  t.throws(() => load(['--port', 'x', '--nope']), {
    name: 'ConfigError',
    message: "invalid configuration:\n  - --nope: unknown flag\n  - --port: expected an integer 0-65535, got 'x'",
  });
});

t.test('the three listeners may not share a port; 0 (pick a free one) never clashes', async (t) => {
  t.same(problemsOf(['--otlp-grpc-port', '4318']), ['--otlp-grpc-port and --otlp-http-port (default): both are 4318; every listener needs its own port']);
  t.same(problemsOf([], { MLRUN_PORT: '4317' }), ['--otlp-grpc-port (default) and MLRUN_PORT: both are 4317; every listener needs its own port']);
  t.equal(problemsOf(['--otlp-grpc-port', '9', '--otlp-http-port', '9', '--port', '9']).length, 3, 'each pair is named');
  const zeros = load(['--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0']);
  t.same([zeros.otlp.grpcPort, zeros.otlp.httpPort, zeros.port], [0, 0, 0]);
});

t.test('the result is deeply frozen', async (t) => {
  const config = load([], { MLRUN_CLICKHOUSE_URL: 'http://ch:8123' });
  t.ok(Object.isFrozen(config) && Object.isFrozen(config.otlp) && Object.isFrozen(config.ingest) && Object.isFrozen(config.clickhouse));
  t.throws(() => {
    (config as { port: number }).port = 1;
  }, TypeError);
  t.throws(() => {
    (config.otlp as { grpcPort: number }).grpcPort = 1;
  }, TypeError);
});

t.test('MLRUN_CLICKHOUSE_URL selects server mode with credentials from the URL', async (t) => {
  const config = load([], { MLRUN_CLICKHOUSE_URL: 'https://alice:s3cr%2Ft@ch.example.com:8443' });
  const ch = config.clickhouse;
  if (ch.kind !== 'server') throw new Error('expected server mode');
  t.equal(ch.url, 'https://ch.example.com:8443', 'credentials removed from the URL');
  t.equal(ch.username, 'alice');
  t.equal(ch.password.reveal(), 's3cr/t', 'percent-decoded');
  t.equal(ch.database, 'mlrun');
});

t.test('server credentials from their own variables, with defaults', async (t) => {
  const named = load([], {
    MLRUN_CLICKHOUSE_URL: 'http://ch:8123',
    MLRUN_CLICKHOUSE_USER: 'ingest',
    MLRUN_CLICKHOUSE_PASSWORD: 'pw',
    MLRUN_CLICKHOUSE_DATABASE: 'telemetry',
  }).clickhouse;
  t.match(named, { kind: 'server', url: 'http://ch:8123', username: 'ingest', database: 'telemetry' });
  t.equal(named.kind === 'server' && named.password.reveal(), 'pw');
  const bare = load([], { MLRUN_CLICKHOUSE_URL: 'http://ch:8123' }).clickhouse;
  t.match(bare, { kind: 'server', username: 'default', database: 'mlrun' });
  t.equal(bare.kind === 'server' && bare.password.reveal(), '');
  t.equal(load([], { MLRUN_CLICKHOUSE_URL: 'http://bob:x@ch:8123', MLRUN_CLICKHOUSE_USER: 'bob' }).clickhouse.kind, 'server', 'agreeing sources are fine');
});

t.test('server settings are validated, and credentials set in two places must agree', async (t) => {
  t.same(
    [...problemsOf([], {
      MLRUN_CLICKHOUSE_URL: 'http://alice:one@ch:8123',
      MLRUN_CLICKHOUSE_USER: 'bob',
      MLRUN_CLICKHOUSE_PASSWORD: 'two',
      MLRUN_CLICKHOUSE_DATABASE: 'bad-name',
    })].sort(),
    [
      "MLRUN_CLICKHOUSE_DATABASE: expected a database name of letters, digits and _, got 'bad-name'",
      'MLRUN_CLICKHOUSE_PASSWORD and the password in MLRUN_CLICKHOUSE_URL differ; set it in one place',
      'MLRUN_CLICKHOUSE_USER and the user in MLRUN_CLICKHOUSE_URL differ; set it in one place',
    ],
  );
  t.same(problemsOf([], { MLRUN_CLICKHOUSE_URL: 'localhost:8123' }), [
    "MLRUN_CLICKHOUSE_URL: expected an http(s)://[user[:password]@]host[:port] URL (scheme must be http or https), got 'localhost:8123'",
  ]);
});

t.test('the password never shows: not in errors, JSON, inspect or string conversion', async (t) => {
  const password = 'hunter2-do-not-print';
  const problems = problemsOf([], { MLRUN_CLICKHOUSE_URL: `ftp://alice:${password}@ch:8123`, MLRUN_PORT: 'x' });
  t.equal(problems.length, 2);
  t.notMatch(problems.join('\n'), password, 'config errors echo the URL without its password');
  t.match(problems.join('\n'), "got 'ftp://alice:[redacted]@ch:8123'");

  const config = load([], { MLRUN_CLICKHOUSE_URL: `http://alice:${password}@ch:8123` });
  const ch = config.clickhouse;
  if (ch.kind !== 'server') throw new Error('expected server mode');
  t.equal(ch.password.reveal(), password, 'still available to the code that connects');
  for (const [how, text] of [
    ['JSON.stringify', JSON.stringify(config)],
    ['util.inspect', inspect(config, { depth: 10 })],
    ['String()', String(ch.password)],
    ['template literal', `${String(ch.password)}`],
  ] as const) {
    t.notMatch(text, password, `${how} redacts`);
  }
  t.match(JSON.stringify(config), '"password":"[redacted]"');
});

t.test('MLRUN_S3_BUCKET moves artifact bytes to S3; the other S3 settings refine it', async (t) => {
  t.same(load([], { MLRUN_S3_BUCKET: 'ml-artifacts' }).artifacts.store, {
    kind: 's3', bucket: 'ml-artifacts', region: 'us-east-1', endpoint: undefined, prefix: '', accessKeyId: undefined, secretAccessKey: undefined,
  });
  const store = load([], {
    MLRUN_S3_BUCKET: 'ml-artifacts', MLRUN_S3_ENDPOINT: 'http://minio:9000/', MLRUN_S3_REGION: 'eu-west-3', MLRUN_S3_PREFIX: 'teams/vision',
    MLRUN_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', MLRUN_S3_SECRET_ACCESS_KEY: 'wJalr-secret',
  }).artifacts.store;
  t.match(store, { kind: 's3', bucket: 'ml-artifacts', region: 'eu-west-3', endpoint: 'http://minio:9000', prefix: 'teams/vision/', accessKeyId: 'AKIAEXAMPLE' });
  t.equal(store.kind === 's3' && store.secretAccessKey?.reveal(), 'wJalr-secret');
  t.notMatch(JSON.stringify(store), 'wJalr-secret', 'the secret key never prints');
  t.notMatch(inspect(store), 'wJalr-secret');
});

t.test('S3 settings are validated, and S3 details without a bucket are named', async (t) => {
  t.same(
    [...problemsOf([], {
      MLRUN_S3_BUCKET: 'Bad_Bucket', MLRUN_S3_ENDPOINT: 'http://key:secret@minio:9000', MLRUN_S3_REGION: 'eu west', MLRUN_S3_PREFIX: 'a/../b',
      MLRUN_S3_ACCESS_KEY_ID: 'AKIA', MLRUN_ARTIFACT_MAX_MB: '0',
    })].sort(),
    [
      "MLRUN_ARTIFACT_MAX_MB: expected an integer 1-1048576, got '0'",
      'MLRUN_S3_ACCESS_KEY_ID and MLRUN_S3_SECRET_ACCESS_KEY: set both, or neither for the default AWS credential chain',
      "MLRUN_S3_BUCKET: expected an S3 bucket name (3-63 lowercase letters, digits, . and -), got 'Bad_Bucket'",
      "MLRUN_S3_ENDPOINT: expected an http(s)://host[:port] URL (no credentials: use MLRUN_S3_ACCESS_KEY_ID / MLRUN_S3_SECRET_ACCESS_KEY), got 'http://key:[redacted]@minio:9000'",
      "MLRUN_S3_PREFIX: expected a folder like mlrun/ (segments of letters, digits, . _ -; no . or .. segments), got 'a/../b'",
      "MLRUN_S3_REGION: expected a region name of letters, digits, _ and -, got 'eu west'",
    ],
  );
  t.same(problemsOf([], { MLRUN_S3_ENDPOINT: 'http://minio:9000', MLRUN_S3_SECRET_ACCESS_KEY: 'x' }), [
    'MLRUN_S3_ENDPOINT, MLRUN_S3_SECRET_ACCESS_KEY: set MLRUN_S3_BUCKET too, or artifacts stay in the data dir',
  ]);
  t.notMatch(problemsOf([], { MLRUN_S3_SECRET_ACCESS_KEY: 'never-shown-value' }).join(), 'never-shown-value');
});

t.test('--prices / MLRUN_PRICES_FILE: a JSON price file over the built-in table, every problem listed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-prices-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'prices.json'), JSON.stringify({ 'my-model': { inputPerMTok: 1, outputPerMTok: 2 }, 'gpt-4o': { inputPerMTok: 3, outputPerMTok: 4 } }));
  const fromFlag = loadConfig({ argv: ['--prices', 'prices.json'], env: {}, cwd: dir });
  t.same(fromFlag.prices.exact.get('my-model'), { inputPerMTok: 1, outputPerMTok: 2 }, 'relative to the working directory');
  t.same(fromFlag.prices.exact.get('gpt-4o'), { inputPerMTok: 3, outputPerMTok: 4 }, 'the file overrides the built-in price');
  t.same(fromFlag.prices.exact.get('gpt-4o-mini'), DEFAULT_PRICES.exact.get('gpt-4o-mini'), 'built-in entries stay');
  const fromEnv = loadConfig({ argv: [], env: { MLRUN_PRICES_FILE: join(dir, 'prices.json') }, cwd });
  t.same(fromEnv.prices.sources, [...DEFAULT_PRICES.sources, join(dir, 'prices.json')]);
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ a: { inputPerMTok: -1, outputPerMTok: 2 } }));
  t.same(problemsOf(['--prices', join(dir, 'bad.json'), '--port', 'x']), [
    "--port: expected an integer 0-65535, got 'x'",
    `--prices: ${join(dir, 'bad.json')}: "a": inputPerMTok must be a number >= 0, got -1`,
  ]);
  t.match(problemsOf([], { MLRUN_PRICES_FILE: join(dir, 'missing.json') }), [/^MLRUN_PRICES_FILE: .*missing\.json: cannot read the file: /]);
});
