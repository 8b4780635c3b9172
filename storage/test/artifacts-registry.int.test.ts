/**
 * Artifact records (registry/artifacts.ts) on PGlite and on the machine's Postgres server: upsert and
 * replace, a run that is not there, listing by prefix with keyset pages, file/folder conflicts, deletes
 * and the cascade from runs.
 */
import t from 'tap';
import type { NewArtifact, Postgres } from '../src/index.js';
import {
  conflictingArtifactPath,
  deleteArtifact,
  deleteRunArtifacts,
  getArtifact,
  listArtifacts,
  migratePostgres,
  upsertArtifact,
} from '../src/index.js';
import { openPostgresPair } from './fixtures/postgres.js';

const pair = await openPostgresPair(t);
const SHA = 'ab'.repeat(32);

async function addRun(pg: Postgres, project: string, runId: string): Promise<void> {
  await pg.query({ sql: 'INSERT INTO projects (name) VALUES ($1) ON CONFLICT DO NOTHING', params: [project], tag: 'test.project' });
  await pg.query({ sql: 'INSERT INTO runs (project, id) VALUES ($1, $2)', params: [project, runId], tag: 'test.run' });
}

const artifact = (path: string, extra: Partial<NewArtifact> = {}): NewArtifact => ({
  project: 'vision',
  runId: 'r1',
  path,
  type: 'model',
  uri: `s3://bucket/vision/r1/${path}`,
  sha256: SHA,
  sizeBytes: 12_345_678_901,
  ...extra,
});

for (const mode of ['embedded', 'server'] as const) {
  t.test(mode, async (t) => {
    const pg = pair[mode];
    await migratePostgres(pg);
    await addRun(pg, 'vision', 'r1');

    t.test('upsert, read back, replace', async (t) => {
      t.equal(await upsertArtifact(pg, artifact('x', { runId: 'nope' })), null, 'no record for a run that is not registered');
      const first = await upsertArtifact(pg, artifact('model/best.pt'));
      t.match(first, { project: 'vision', runId: 'r1', path: 'model/best.pt', type: 'model', sha256: SHA, sizeBytes: 12_345_678_901 });
      t.match(first?.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      t.same(await getArtifact(pg, 'vision', 'r1', 'model/best.pt'), first);
      const second = await upsertArtifact(pg, artifact('model/best.pt', { type: null, sha256: 'cd'.repeat(32), sizeBytes: 0 }));
      t.match(second, { type: null, sha256: 'cd'.repeat(32), sizeBytes: 0 });
      t.equal(await getArtifact(pg, 'vision', 'r1', 'missing'), null);
    });

    t.test('list: path order, prefix, keyset pages', async (t) => {
      const paths = ['ckpt/epoch-10.pt', 'ckpt/epoch-2.pt', 'ckpt%/x', 'ckpt_/y', 'ckpts', 'data.csv', 'model/best.pt', 'Z-upper'];
      for (const path of paths) await upsertArtifact(pg, artifact(path));
      const all = await listArtifacts(pg, { project: 'vision', runId: 'r1', limit: 100 });
      t.same(
        all.map((a) => a.path),
        ['Z-upper', 'ckpt%/x', 'ckpt/epoch-10.pt', 'ckpt/epoch-2.pt', 'ckpt_/y', 'ckpts', 'data.csv', 'model/best.pt'],
        'byte-wise order',
      );
      const under = await listArtifacts(pg, { project: 'vision', runId: 'r1', prefix: 'ckpt/', limit: 100 });
      t.same(under.map((a) => a.path), ['ckpt/epoch-10.pt', 'ckpt/epoch-2.pt'], '% and _ in paths are not wildcards');
      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await listArtifacts(pg, { project: 'vision', runId: 'r1', prefix: 'ckpt', after, limit: 2 });
        if (page.length === 0) break;
        pages.push(page.map((a) => a.path));
        after = page[page.length - 1]?.path;
      }
      t.same(pages, [['ckpt%/x', 'ckpt/epoch-10.pt'], ['ckpt/epoch-2.pt', 'ckpt_/y'], ['ckpts']]);
    });

    t.test('a path cannot be both an artifact and a folder', async (t) => {
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'model/best.pt'), null, 'the path itself is a replace, not a conflict');
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'model/best.pt/inner'), 'model/best.pt');
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'model'), 'model/best.pt');
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'ckpt'), 'ckpt/epoch-10.pt');
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'mode'), null, 'a shared text prefix is not a folder');
      t.equal(await conflictingArtifactPath(pg, 'vision', 'r1', 'data.csv2'), null);
    });

    t.test('deletes, and the cascade from runs', async (t) => {
      t.equal(await deleteArtifact(pg, 'vision', 'r1', 'data.csv'), true);
      t.equal(await deleteArtifact(pg, 'vision', 'r1', 'data.csv'), false);
      t.equal(await deleteRunArtifacts(pg, 'vision', 'r1'), 7);
      t.same(await listArtifacts(pg, { project: 'vision', runId: 'r1', limit: 10 }), []);
      await upsertArtifact(pg, artifact('left.bin'));
      await pg.query({ sql: 'DELETE FROM runs WHERE project = $1 AND id = $2', params: ['vision', 'r1'], tag: 'test.delete_run' });
      t.same(await listArtifacts(pg, { project: 'vision', runId: 'r1', limit: 10 }), [], 'deleting the run removed its records');
    });
  });
}
