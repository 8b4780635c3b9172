import t from 'tap';
import { isLoopback, parseClickHouseUrl, parseDatabaseName, parseHost, parseIntInRange, parseLogLevel, parsePort } from '../src/values.js';

t.test('integers: decimal digits within range only', async (t) => {
  t.same(parsePort('4317'), { ok: true, value: 4317 });
  t.same(parsePort(' 0 '), { ok: true, value: 0 });
  t.same(parsePort('65535'), { ok: true, value: 65535 });
  for (const bad of ['65536', '-1', '43.17', '0x10', '1e3', '', 'abc', '12abc', '+5']) {
    t.same(parsePort(bad), { ok: false, expected: 'an integer 0-65535' }, `rejects '${bad}'`);
  }
  t.same(parseIntInRange('1000', 1, 1000), { ok: true, value: 1000 });
  t.same(parseIntInRange('1001', 1, 1000), { ok: false, expected: 'an integer 1-1000' });
  t.same(parseIntInRange('99999999999999999999', 0, 10), { ok: false, expected: 'an integer 0-10' });
});

t.test('hosts: IP literals and DNS names', async (t) => {
  for (const good of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'mlrun-1.internal.example.com']) {
    t.same(parseHost(good), { ok: true, value: good }, good);
  }
  t.same(parseHost('[::1]'), { ok: true, value: '::1' }, 'brackets dropped');
  for (const bad of ['', 'http://localhost', 'local host', 'host:4317', '-bad', 'a..b']) {
    t.equal(parseHost(bad).ok, false, `rejects '${bad}'`);
  }
  t.ok(isLoopback('127.0.0.1') && isLoopback('127.1.2.3') && isLoopback('::1') && isLoopback('localhost'));
  t.notOk(isLoopback('0.0.0.0') || isLoopback('::') || isLoopback('10.0.0.1') || isLoopback('example.com'));
});

t.test('log levels are pino levels, case-insensitive', async (t) => {
  t.same(parseLogLevel('DEBUG'), { ok: true, value: 'debug' });
  t.same(parseLogLevel('silent'), { ok: true, value: 'silent' });
  t.equal(parseLogLevel('verbose').ok, false);
});

t.test('database names are plain identifiers', async (t) => {
  t.same(parseDatabaseName('mlrun_prod'), { ok: true, value: 'mlrun_prod' });
  for (const bad of ['1db', 'my-db', 'db; DROP', '']) t.equal(parseDatabaseName(bad).ok, false, `rejects '${bad}'`);
});

t.test('ClickHouse URLs: credentials split out, nothing else allowed', async (t) => {
  t.same(parseClickHouseUrl('https://ch.example.com:8443'), {
    ok: true,
    value: { url: 'https://ch.example.com:8443', username: undefined, password: undefined },
  });
  t.same(parseClickHouseUrl('http://alice:p%40ss%3Aword@ch:8123/'), {
    ok: true,
    value: { url: 'http://ch:8123', username: 'alice', password: 'p@ss:word' },
  });
  t.same(parseClickHouseUrl('http://bob@ch:8123'), { ok: true, value: { url: 'http://ch:8123', username: 'bob', password: undefined } });
  for (const bad of ['ch:8123', 'localhost', 'tcp://ch:9000', 'http://ch:8123/mydb', 'http://ch:8123?database=x', 'http://a%zz@ch:8123', 'not a url']) {
    t.equal(parseClickHouseUrl(bad).ok, false, `rejects '${bad}'`);
  }
});
