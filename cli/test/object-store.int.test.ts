/** openObjectStore against real backends: a temp folder, and moto with the bucket there or missing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { openObjectStore } from '../src/object-store.js';
import { startMoto } from '../../storage/test/fixtures/moto.js';

const artifacts = (env: Record<string, string>, cwd: string) => loadConfig({ argv: [], env, cwd }).artifacts;

t.test('the local folder is created under the data dir', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'mlrun-cli-objects-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const store = await openObjectStore(artifacts({}, cwd));
  t.teardown(() => store.close());
  t.match(store.description, join(cwd, '.mlrun', 'artifacts'));
  t.match(await store.put('p/r/x', Readable.from([Buffer.from('x')])), { sizeBytes: 1 });
});

t.test('S3 from MLRUN_S3_* settings; a missing bucket stops start-up', async (t) => {
  const moto = await startMoto(t);
  const env = { MLRUN_S3_ENDPOINT: moto.endpoint, MLRUN_S3_ACCESS_KEY_ID: moto.accessKeyId, MLRUN_S3_SECRET_ACCESS_KEY: moto.secretAccessKey, MLRUN_S3_PREFIX: 'mlrun' };
  const store = await openObjectStore(artifacts({ ...env, MLRUN_S3_BUCKET: moto.bucket }, '/'));
  t.teardown(() => store.close());
  t.match(await store.put('p/r/x', Readable.from([Buffer.from('abc')])), { uri: `s3://${moto.bucket}/mlrun/p/r/x`, sizeBytes: 3 });
  t.notMatch(store.description, moto.secretAccessKey);
  await t.rejects(openObjectStore(artifacts({ ...env, MLRUN_S3_BUCKET: 'no-such-bucket' }, '/')), /S3 bucket no-such-bucket does not answer/);
});
