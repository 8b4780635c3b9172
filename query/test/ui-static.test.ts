/**
 * The dashboard's static build served next to the API: files with their cache policy, index.html for any
 * other GET (deep links reload into the SPA), JSON 404s for unknown API paths and for non-GET requests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import type { QueryDeps } from '../src/index.js';
import { buildApp } from '../src/index.js';

const INDEX = '<!doctype html><title>MLRun</title>';

async function appWith(uiDir: string | undefined) {
  // No request below reaches storage: the deps the routes would use are never touched.
  const deps = { logger: pino({ level: 'silent' }), version: 'test', ...(uiDir === undefined ? {} : { uiDir }) } as unknown as QueryDeps;
  const app = await buildApp(deps);
  t.teardown(() => app.close());
  return app;
}

t.test('serves the build, with index.html as the fallback for page paths', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-ui-static-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, '_app', 'immutable'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, '_app', 'immutable', 'entry.abc123.js'), 'export {};');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  const app = await appWith(dir);

  for (const url of ['/', '/projects/vision', '/projects/vision/runs/r%2F1?tab=overview']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, `${url}: 200`);
    t.equal(res.body, INDEX, `${url}: index.html`);
    t.equal(res.headers['cache-control'], 'no-cache', `${url}: revalidated, so a new build is picked up`);
  }
  const asset = await app.inject({ method: 'GET', url: '/_app/immutable/entry.abc123.js' });
  t.equal(asset.statusCode, 200);
  t.equal(asset.body, 'export {};');
  t.match(asset.headers['cache-control'], /immutable/, 'hashed assets are cached for good');
  const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
  t.equal(icon.headers['cache-control'], 'no-cache');

  const api = await app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
  t.equal(api.statusCode, 404, 'unknown API paths stay JSON 404s');
  t.match(api.json(), { code: 'MLRUN_ERR_NOT_FOUND' });
  const post = await app.inject({ method: 'POST', url: '/projects/vision' });
  t.equal(post.statusCode, 404, 'only GET/HEAD fall back to the page');
  t.match(post.json(), { code: 'MLRUN_ERR_NOT_FOUND' });
});

t.test('without a build (or with an empty folder) every unknown path is a JSON 404', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-ui-empty-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const uiDir of [undefined, dir]) {
    const app = await appWith(uiDir);
    const res = await app.inject({ method: 'GET', url: '/projects/vision' });
    t.equal(res.statusCode, 404);
    t.match(res.json(), { code: 'MLRUN_ERR_NOT_FOUND' });
  }
});
