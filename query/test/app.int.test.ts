/** The query API's service routes through fastify's inject, on real embedded ClickHouse and on a dead server. */
import type { ClickHouse, Postgres } from '@mlrun/storage';
import { createClickHouse } from '@mlrun/storage';
import { pino } from 'pino';
import t from 'tap';
import type { QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import type { Stack } from './fixtures/stack.js';
import { openStack } from './fixtures/stack.js';

const logger = pino({ level: 'silent' });
let ch: ClickHouse;
let pg: Postgres;
let stack: Stack;
let app: QueryApp;

t.before(async () => {
  stack = await openStack(t);
  ({ clickhouse: ch, postgres: pg } = stack);
  app = await buildApp({ ...stack, logger, version: '9.9.9' });
});
t.teardown(async () => {
  await app.close();
});

t.test('GET /api/v1/health reports reachable storage and the version', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/health' });
  t.equal(response.statusCode, 200);
  t.same(response.json(), {
    status: 'ok',
    version: '9.9.9',
    storage: {
      clickhouse: { ok: true, kind: 'embedded', description: ch.description },
      postgres: { ok: true, kind: 'embedded', description: pg.description },
      artifacts: { ok: true, kind: 'local', description: stack.objects.description },
    },
  });
});

t.test('health is 503 with the reason when ClickHouse does not answer', async (t) => {
  const dead = await createClickHouse({ kind: 'server', url: 'http://127.0.0.1:1', username: 'default', password: 'secret-pw', database: 'mlrun', requestTimeoutMs: 2000 });
  const deadApp = await buildApp({ ...stack, clickhouse: dead, logger, version: '9.9.9' });
  t.teardown(async () => {
    await deadApp.close();
    await dead.close();
  });
  const response = await deadApp.inject({ method: 'GET', url: '/api/v1/health' });
  t.equal(response.statusCode, 503);
  const body = response.json<{ status: string; storage: { clickhouse: { ok: boolean; kind: string; error?: string } } }>();
  t.equal(body.status, 'unavailable');
  t.match(body.storage.clickhouse, { ok: false, kind: 'server' });
  t.ok((body.storage.clickhouse.error ?? '').length > 0, 'says why');
  t.notMatch(response.body, 'secret-pw', 'never leaks the password');
});

t.test('GET /api/v1/openapi.json describes every route from its schema', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  t.equal(response.statusCode, 200);
  const doc = response.json<{ openapi: string; info: { version: string }; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
  t.equal(doc.openapi, '3.1.0');
  t.equal(doc.info.version, '9.9.9');
  t.ok(doc.paths['/api/v1/health']?.get?.responses['200'], 'health with its 200 schema');
  t.ok(doc.paths['/api/v1/health']?.get?.responses['503'], 'and its 503 schema');
  t.notOk(doc.paths['/api/v1/openapi.json'], 'the document itself is not listed');
});

t.test('unknown routes get a coded 404', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/nope' });
  t.equal(response.statusCode, 404);
  t.same(response.json(), { statusCode: 404, code: 'MLRUN_ERR_NOT_FOUND', error: 'Not Found', message: 'no route GET /api/v1/nope' });
});
