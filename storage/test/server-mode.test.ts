/**
 * Server mode without a ClickHouse server (none runs on the test machines): a stand-in HTTP endpoint
 * records what @clickhouse/client sends, so URL, database, credentials, settings and the RowBinary body
 * are checked byte for byte; unreachable servers are checked against a closed port.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createClickHouse, encodeRows, TABLES } from '../src/index.js';
import { metricPointRows } from './fixtures/rows.js';

interface Seen {
  method: string;
  path: string;
  search: URLSearchParams;
  authorization: string | undefined;
  body: Buffer;
}

const seen: Seen[] = [];

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const server = createServer((req, res) => {
  void readBody(req).then((body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', path: url.pathname, search: url.searchParams, authorization: req.headers.authorization, body });
    const sql = url.searchParams.get('query') ?? body.toString();
    if (sql.includes('no_such_table')) {
      res.writeHead(404, { 'X-ClickHouse-Exception-Code': '60' });
      res.end('Code: 60. DB::Exception: Unknown table expression identifier no_such_table. (UNKNOWN_TABLE) (version 26.1.1.1)\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(sql.startsWith('SELECT') ? '{"1":1}\n' : '');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const ch = await createClickHouse({ kind: 'server', url, username: 'mlrun_user', password: 's3cret!', database: 'mlrun_test' });
t.teardown(() => ch.close());
const expectedAuth = `Basic ${Buffer.from('mlrun_user:s3cret!').toString('base64')}`;

t.test('describes itself without the password', async (t) => {
  t.equal(ch.kind, 'server');
  t.equal(ch.database, 'mlrun_test');
  t.equal(ch.description, `ClickHouse server ${url}/ (user mlrun_user, database mlrun_test)`);
  const withSecretInUrl = await createClickHouse({ kind: 'server', url: 'http://u:hunter2@db:8123', username: 'u', password: 'hunter2', database: 'd' });
  t.notMatch(withSecretInUrl.description, 'hunter2');
  await withSecretInUrl.close();
});

t.test('queries name the database, authenticate, tag and send typed parameters', async (t) => {
  seen.length = 0;
  t.same(await ch.query({ sql: 'SELECT {n:Int64} + {f:Float64}', params: { n: -(2n ** 63n), f: NaN }, tag: 'test.select' }), [{ 1: 1 }]);
  const [req] = seen;
  t.equal(req?.search.get('database'), 'mlrun_test');
  t.equal(req?.authorization, expectedAuth);
  t.equal(req?.search.get('log_comment'), 'test.select');
  t.equal(req?.search.get('param_n'), '-9223372036854775808');
  t.equal(req?.search.get('param_f'), 'nan');
  t.equal(req?.search.get('output_format_json_quote_64bit_integers'), '1');
  t.equal(req?.search.get('output_format_json_quote_denormals'), '1');
  t.match(req?.body.toString(), /^SELECT \{n:Int64\} \+ \{f:Float64\}\s+FORMAT JSONEachRow$/);
});

t.test('inserts stream RowBinary as the body of INSERT … FORMAT RowBinary', async (t) => {
  seen.length = 0;
  const rows = metricPointRows('run-1');
  await ch.insert('metric_points', rows);
  const [req] = seen;
  const columns = TABLES.metric_points.map((c) => `\`${c.name}\``).join(', ');
  t.equal(req?.search.get('query'), `INSERT INTO \`metric_points\` (${columns}) FORMAT RowBinary`);
  t.equal(req?.search.get('database'), 'mlrun_test');
  t.equal(req?.search.get('wait_end_of_query'), '1', 'the response waits until the rows are written');
  t.equal(req?.search.get('log_comment'), 'insert.metric_points');
  t.equal(req?.authorization, expectedAuth);
  t.ok(req?.body.equals(encodeRows('metric_points', rows)), 'the body is exactly the encoded rows');
});

t.test('the database is created, and ping runs, through a request that names no database', async (t) => {
  seen.length = 0;
  await ch.ensureDatabase("ON CLUSTER '{cluster}'");
  t.same(await ch.ping(), { ok: true });
  t.equal(seen.length, 2);
  t.equal(seen[0]?.body.toString(), "CREATE DATABASE IF NOT EXISTS `mlrun_test` ON CLUSTER '{cluster}'");
  for (const req of seen) {
    t.equal(req.search.get('database'), null);
    t.equal(req.authorization, expectedAuth);
  }
});

t.test('server errors are wrapped with the statement tag and keep the ClickHouse message', async (t) => {
  const err = await ch.query({ sql: 'SELECT * FROM no_such_table', tag: 'test.missing' }).catch((e: unknown) => e);
  t.type(err, Error);
  t.match((err as Error).message, /^clickhouse query test\.missing: Unknown table expression identifier no_such_table/);
  t.match((err as Error & { cause: { code: string } }).cause.code, '60');
});

t.test('an unreachable server: ping reports it, statements fail with context', async (t) => {
  const down = await createClickHouse({ kind: 'server', url: 'http://127.0.0.1:1', username: 'default', password: 'pw', database: 'mlrun' });
  t.teardown(() => down.close());
  t.equal(down.description, 'ClickHouse server http://127.0.0.1:1/ (user default, database mlrun)');
  const ping = await down.ping();
  t.equal(ping.ok, false);
  if (!ping.ok) t.match(ping.error.message, /^clickhouse ping failed for ClickHouse server http:\/\/127\.0\.0\.1:1\/ \(user default, database mlrun\): .*ECONNREFUSED/);
  await t.rejects(down.insert('metric_points', metricPointRows('r')), /^clickhouse insert metric_points \(11 rows\): .*ECONNREFUSED/);
  await t.rejects(down.command({ sql: 'SELECT 1', tag: 'x' }), /^clickhouse command x: .*ECONNREFUSED/);
});

t.test('tags and database names are checked before anything is sent', async (t) => {
  await t.rejects(ch.query({ sql: 'SELECT 1', tag: "bad'tag" }), /invalid statement tag/);
  await t.rejects(createClickHouse({ kind: 'server', url, username: 'u', password: '', database: 'x; DROP' }), /invalid ClickHouse database name/);
});
