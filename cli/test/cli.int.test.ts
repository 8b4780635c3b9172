import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { collect, exited, logLines, runCli, startCli, waitForLog } from './fixtures/cli-process.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlrun-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function canConnect(address: string): Promise<boolean> {
  const { hostname, port } = new URL(address.includes('://') ? address : `tcp://${address}`);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

t.test('--help prints usage on stdout and exits 0', async (t) => {
  for (const flag of ['--help', '-h', 'help']) {
    const r = await runCli([flag]);
    t.equal(r.code, 0, `${flag} exits 0`);
    t.match(r.stdout, 'Usage:');
    t.match(r.stdout, 'mlrun serve [flags]');
    t.equal(r.stderr, '');
  }
});

t.test('serve --help lists every flag and variable and exits 0, even next to bad flags', async (t) => {
  const r = await runCli(['serve', '--port', 'nope', '--help']);
  t.equal(r.code, 0);
  for (const name of ['--data-dir', '--otlp-grpc-port', '--otlp-http-port', '--port', '--host', '--max-message-mb', '--memory-budget-mb',
    '--flush-interval-ms', '--log-level', 'MLRUN_CLICKHOUSE_URL', 'MLRUN_CLICKHOUSE_PASSWORD', 'MLRUN_TELEMETRY_TTL_DAYS']) {
    t.match(r.stdout, name);
  }
  t.equal(r.stderr, '');
});

t.test('--version prints the version and exits 0', async (t) => {
  const r = await runCli(['--version']);
  t.equal(r.code, 0);
  t.equal(r.stdout, `${version}\n`);
});

t.test('a missing or unknown command prints usage on stderr and exits 2', async (t) => {
  const none = await runCli([]);
  t.equal(none.code, 2);
  t.match(none.stderr, /^mlrun: missing command\n/);
  t.match(none.stderr, 'Usage:');
  const unknown = await runCli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /^mlrun: unknown command 'frobnicate'\n/);
  t.equal(unknown.stdout, '');
});

t.test('configuration errors: every problem listed, exit 2, nothing started, no password shown', async (t) => {
  const r = await runCli(['serve', '--otlp-grpc-port', 'abc', '--bogus'], {
    MLRUN_FLUSH_INTERVAL_MS: '5000',
    MLRUN_CLICKHOUSE_URL: 'tcp://admin:topsecret@ch:9000',
  });
  t.equal(r.code, 2);
  t.match(r.stderr, 'mlrun serve: invalid configuration:');
  t.match(r.stderr, "  - --otlp-grpc-port: expected an integer 0-65535, got 'abc'");
  t.match(r.stderr, '  - --bogus: unknown flag');
  t.match(r.stderr, "  - MLRUN_FLUSH_INTERVAL_MS: expected an integer 1-1000, got '5000'");
  t.match(r.stderr, "  - MLRUN_CLICKHOUSE_URL: expected an http(s)://");
  t.notMatch(r.stderr, 'topsecret');
  t.equal(r.stdout, '', 'no logger, no listener');
});

t.test('a start-up failure is one clear line on stderr and exit 1', async (t) => {
  const dir = await tempDir(t);
  const notADir = join(dir, 'file');
  await writeFile(notADir, 'not a directory');
  const r = await runCli(['serve', '--data-dir', notADir, '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0']);
  t.equal(r.code, 1);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('mlrun: '));
  t.equal(lines.length, 1, 'exactly one error line');
  t.match(lines[0], /^mlrun: cannot start: .*file/);
  t.ok(logLines(r.stdout).some((l) => l.msg === 'start-up failed' && l.level === 50), 'logged with its cause');
});

t.test('server mode: credentials from MLRUN_CLICKHOUSE_URL reach the server, never the logs; a signal during start-up stops at once', async (t) => {
  // A stand-in ClickHouse HTTP endpoint: it answers the database-less set-up requests (ping, CREATE
  // DATABASE) with an empty 200 and leaves the first request that names a database hanging, so start-up
  // waits there and the test can look at what the client sent.
  const seen: { url: string; authorization: string }[] = [];
  const fake = createHttpServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization ?? '' });
    req.resume();
    if (!(req.url ?? '').includes('database=')) req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    fake.closeAllConnections();
    fake.close();
  });
  const chPort = (fake.address() as AddressInfo).port;
  const password = 'pa:ss/word-never-logged';
  const child = startCli(['serve', '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0'], {
    MLRUN_CLICKHOUSE_URL: `http://trainer:${encodeURIComponent(password)}@127.0.0.1:${chPort}`,
    MLRUN_CLICKHOUSE_DATABASE: 'mlrun_ci',
  });
  t.teardown(() => child.kill('SIGKILL'));
  const out = collect(child);
  const starting = await waitForLog(child, out, 'starting');
  t.match(starting, { config: { clickhouse: { kind: 'server', url: `http://127.0.0.1:${chPort}`, username: 'trainer', password: '[redacted]', database: 'mlrun_ci' } } });
  const deadline = Date.now() + 30_000;
  while (!seen.some((r) => r.url.includes('database=')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  t.ok(seen.some((r) => /[?&]database=mlrun_ci(&|$)/.test(r.url)), 'statements name the configured database');
  const basic = `Basic ${Buffer.from(`trainer:${password}`).toString('base64')}`;
  t.ok(seen.length > 0 && seen.every((r) => r.authorization === basic), 'every request carries the user and the decoded password from the URL');
  child.kill('SIGTERM');
  t.same(await exited(child), { code: 0, signal: null }, 'exit 0 without waiting for the silent server');
  t.ok(logLines(out.stdout()).some((l) => l.msg === 'stopped during start-up'));
  t.notMatch(out.stdout() + out.stderr(), password, 'the password is in no log line and no message');
  t.notMatch(out.stdout() + out.stderr(), encodeURIComponent(password));
});

t.test('serve: listens, says where, and on SIGTERM flushes, closes and exits 0', async (t) => {
  const dataDir = await tempDir(t);
  const args = ['serve', '--data-dir', dataDir, '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0'];
  for (const round of ['first start (migrates)', 'restart on the same data']) {
    const child = startCli(args);
    t.teardown(() => child.kill('SIGKILL'));
    const out = collect(child);
    const listening = await waitForLog(child, out, 'listening');
    t.match(listening, { otlpGrpc: /^127\.0\.0\.1:\d+$/, otlpHttp: /^http:\/\/127\.0\.0\.1:\d+$/, api: /^http:\/\/127\.0\.0\.1:\d+$/, dataDir }, round);
    t.ok(await canConnect(String(listening.otlpGrpc)), `${round}: OTLP gRPC accepts connections`);
    t.ok(await canConnect(String(listening.otlpHttp)), `${round}: OTLP HTTP accepts connections`);
    const health = await fetch(`${String(listening.api)}/api/v1/health`);
    t.equal(health.status, 200, `${round}: the query API answers on --port`);
    t.match(await health.json(), { status: 'ok', storage: { clickhouse: { ok: true, kind: 'embedded' } } });
    t.match(out.stderr(), 'OTLP gRPC');
    t.match(out.stderr(), dataDir, 'the banner says where data lives');
    child.kill('SIGTERM');
    t.same(await exited(child), { code: 0, signal: null }, `${round}: exit 0 after SIGTERM`);
    const msgs = logLines(out.stdout()).map((l) => l.msg);
    t.ok(msgs.includes('shutting down: flushing every batch') && msgs.at(-1) === 'stopped', `${round}: flushed, then stopped`);
  }
  t.ok((await stat(join(dataDir, 'clickhouse'))).isDirectory(), 'embedded ClickHouse lives in the data dir');
});

t.test('serve: a port already in use is named in a one-line error, exit 1', async (t) => {
  const dataDir = await tempDir(t);
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = String((blocker.address() as AddressInfo).port);
  const r = await runCli(['serve', '--data-dir', dataDir, '--otlp-grpc-port', '0', '--otlp-http-port', port, '--port', '0']);
  t.equal(r.code, 1);
  t.match(r.stderr, `mlrun: cannot start: port ${port} on 127.0.0.1 is already in use (change --otlp-http-port)`);
});
