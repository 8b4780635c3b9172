/** The registry writer's scenarios on the machine's Postgres server, in a database of their own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { ClickHouse, Postgres } from '../src/index.js';
import { createClickHouse, createPostgres, migrate, migratePostgres } from '../src/index.js';
import { createServerDatabase, SERVER } from './fixtures/postgres.js';
import { registryScenarios } from './fixtures/registry-scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'mlrun-registry-server-'));
let pg: Postgres;
let ch: ClickHouse;

t.before(async () => {
  const database = await createServerDatabase(t);
  [pg, ch] = await Promise.all([createPostgres({ kind: 'server', url: `${SERVER}/${database}` }), createClickHouse({ kind: 'embedded', dataDir: dir })]);
  await Promise.all([migratePostgres(pg), migrate(ch)]);
});
t.teardown(async () => {
  await Promise.all([pg.close(), ch.close()]);
  rmSync(dir, { recursive: true, force: true });
});

registryScenarios(t, () => ({ pg, ch }));
