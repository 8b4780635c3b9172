/** The artifact store options a configuration asks for (pure). */
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { maxArtifactBytes, toObjectStoreOptions } from '../src/object-store.js';

const artifacts = (env: Record<string, string>) => loadConfig({ argv: [], env, cwd: '/srv/m' }).artifacts;

t.test('local folder of the data dir by default', async (t) => {
  t.same(toObjectStoreOptions(artifacts({})), { kind: 'local', dir: '/srv/m/.mlrun/artifacts' });
  t.equal(maxArtifactBytes(artifacts({ MLRUN_ARTIFACT_MAX_MB: '3' })), 3 * 1024 * 1024);
});

t.test('S3: path-style with an endpoint, virtual-hosted on AWS; credentials only when given', async (t) => {
  t.same(
    toObjectStoreOptions(artifacts({ MLRUN_S3_BUCKET: 'b-1', MLRUN_S3_ENDPOINT: 'http://minio:9000', MLRUN_S3_ACCESS_KEY_ID: 'id', MLRUN_S3_SECRET_ACCESS_KEY: 'sk', MLRUN_S3_PREFIX: 'p' })),
    { kind: 's3', bucket: 'b-1', region: 'us-east-1', prefix: 'p/', forcePathStyle: true, endpoint: 'http://minio:9000', accessKeyId: 'id', secretAccessKey: 'sk' },
  );
  t.same(toObjectStoreOptions(artifacts({ MLRUN_S3_BUCKET: 'b-1', MLRUN_S3_REGION: 'eu-west-1' })), { kind: 's3', bucket: 'b-1', region: 'eu-west-1', prefix: '', forcePathStyle: false });
});
