/**
 * The config keys cache against real chDB + PGlite and the registry writer: a second ask with no run
 * written is answered from memory (the same array), and every kind of write — a new run with a new key, a
 * run's config replaced, a PATCH, a delete — is seen by the next ask. Through the API too: `/keys` after a
 * new run lists its key.
 */
import type { JsonObject, RunEvent } from '@mlrun/storage';
import { pino } from 'pino';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { ConfigKeysCache } from '../src/runs/config-keys-cache.js';
import { openStack } from './fixtures/stack.js';

const stack = await openStack(t, 'config-keys-cache');
const P = 'keys-cache';
const NOW = Date.now();
const start = (runId: string, config: JsonObject, k = 0): RunEvent => ({ kind: 'start', project: P, runId, timeMs: NOW - 60_000 + k, config });
const paths = (keys: readonly { path: readonly string[]; runs: number }[]) => keys.map((k) => `${k.path.join('.')}:${k.runs}`);

t.test('answered from memory until a run of the project changes', async (t) => {
  await stack.registry.apply([start('a', { lr: 0.1, optimizer: { name: 'adam' } }), start('b', { lr: 0.2 }, 1)]);
  const cache = new ConfigKeysCache(stack.clickhouse);
  const first = await cache.get(P);
  t.same(paths(first), ['lr:2', 'optimizer.name:1']);
  t.equal(await cache.get(P), first, 'nothing written: the same answer, not read again');

  await stack.registry.apply([start('c', { lr: 0.3, warmup: 100 }, 2)]);
  const afterNew = await cache.get(P);
  t.same(paths(afterNew), ['lr:3', 'optimizer.name:1', 'warmup:1'], 'a new run and its new key');

  await stack.registry.patch(P, 'c', { notes: 'edited' });
  const afterPatch = await cache.get(P);
  t.not(afterPatch, afterNew, 'a PATCH is a write: read again');
  t.same(paths(afterPatch), paths(afterNew));

  t.ok(await stack.registry.delete(P, 'a'));
  t.same(paths(await cache.get(P)), ['lr:2', 'warmup:1'], "a deleted run's keys are gone");

  await stack.registry.apply([start('other-project-run', { only_there: 1 })].map((e) => ({ ...e, project: 'elsewhere' })));
  const still = await cache.get(P);
  t.equal(await cache.get(P), still, "another project's writes do not touch this one");
  t.same(await cache.get('no-such-project'), [], 'a project without runs has no keys');
});

t.test('the least recently asked project is dropped past the capacity', async (t) => {
  const cache = new ConfigKeysCache(stack.clickhouse, 1);
  const a = await cache.get(P);
  await cache.get('elsewhere');
  t.not(await cache.get(P), a, 'P was dropped when "elsewhere" came in, so it is read again');
});

t.test('GET /keys sees a new run at once', async (t) => {
  const app = await buildApp({ ...stack, logger: pino({ level: 'silent' }), version: 'test' });
  t.teardown(() => app.close());
  const keys = async () => (await app.inject({ method: 'GET', url: `/api/v1/projects/${P}/keys` })).json<{ config: { key: string }[] }>().config.map((k) => k.key);
  t.same(await keys(), ['lr', 'warmup']);
  await stack.registry.apply([start('d', { batch_size: 32 }, 3)]);
  t.same(await keys(), ['batch_size', 'lr', 'warmup']);
});
