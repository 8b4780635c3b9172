/** The artifact store of a configuration: its storage options, and opening it with a check that it answers. */
import { createObjectStore, type ObjectStore, type ObjectStoreOptions } from '@mlrun/storage';
import type { ArtifactsConfig } from './config.js';

const MiB = 1024 * 1024;

export function toObjectStoreOptions(config: ArtifactsConfig): ObjectStoreOptions {
  const s = config.store;
  if (s.kind === 'local') return { kind: 'local', dir: s.dir };
  return {
    kind: 's3',
    bucket: s.bucket,
    region: s.region,
    prefix: s.prefix,
    // Self-hosted servers (MinIO, Ceph, moto) address buckets by path; AWS by host name.
    forcePathStyle: s.endpoint !== undefined,
    ...(s.endpoint === undefined ? {} : { endpoint: s.endpoint }),
    ...(s.accessKeyId === undefined || s.secretAccessKey === undefined ? {} : { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey.reveal() }),
  };
}

export const maxArtifactBytes = (config: ArtifactsConfig): number => config.maxMb * MiB;

/** Opens the store and checks it answers (the folder is writable, the bucket exists), so a bad setting stops start-up. */
export async function openObjectStore(config: ArtifactsConfig): Promise<ObjectStore> {
  const store = await createObjectStore(toObjectStoreOptions(config));
  const ping = await store.ping();
  if (!ping.ok) {
    await store.close();
    throw ping.error;
  }
  return store;
}
