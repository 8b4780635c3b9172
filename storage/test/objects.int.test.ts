/**
 * Both object stores against real backends: a temp folder, and moto (a real S3-compatible server) started
 * here. The same contract runs on each; then what only one of them can show (temp files, multipart aborts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import t from 'tap';
import type { ObjectStore } from '../src/index.js';
import { artifactKey, createObjectStore, isObjectStoreError, runKeyPrefix } from '../src/index.js';
import { bodyDigest, bodyStream, bytesOf, digestOf } from './fixtures/bodies.js';
import type { Moto } from './fixtures/moto.js';
import { startMoto } from './fixtures/moto.js';

const MIB = 1024 * 1024;
const BIG = 20 * MIB + 12_345; // several S3 parts, and not a multiple of any chunk size

const text = (s: string): Readable => Readable.from([Buffer.from(s)]);

/** A body that sends `bytes` and then fails, like a client that goes away mid-upload. */
function failingBody(bytes: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(bytes, 7));
      } else {
        this.destroy(new Error('client went away'));
      }
    },
  });
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function readText(store: ObjectStore, key: string): Promise<string | null> {
  const got = await store.get(key);
  return got === null ? null : (await bytesOf(got.body)).toString();
}

function contract(t: Test, open: () => Promise<ObjectStore>): void {
  let store: ObjectStore;
  const key = (name: string) => artifactKey('proj', `run-${process.pid}`, name);
  t.before(async () => {
    store = await open();
  });
  t.teardown(() => store.close());

  t.test('a multi-MB streamed body round-trips with its sha256 and size', async (t) => {
    const expected = bodyDigest(BIG, 3);
    const stored = await store.put(key('model/weights.bin'), bodyStream(BIG, 3));
    t.same({ sha256: stored.sha256, sizeBytes: stored.sizeBytes }, expected);
    const got = await store.get(key('model/weights.bin'));
    t.ok(got);
    t.equal(got?.sizeBytes, BIG);
    t.same(await digestOf(got!.body), expected, 'the bytes read back hash the same');
  });

  t.test('ranges, empty bodies, replacing, deleting', async (t) => {
    await store.put(key('notes.txt'), text('hello, artifacts'), { contentType: 'text/plain' });
    const part = await store.get(key('notes.txt'), { start: 7, end: 15 });
    t.equal(part?.sizeBytes, 16, 'sizeBytes is the whole object');
    t.equal((await bytesOf(part!.body)).toString(), 'artifacts');
    const past = await store.get(key('notes.txt'), { start: 100, end: 200 });
    t.equal(past?.sizeBytes, 16);
    t.equal((await bytesOf(past!.body)).length, 0, 'a range past the end reads nothing');

    const empty = await store.put(key('empty'), Readable.from([]));
    t.same({ sha256: empty.sha256, sizeBytes: empty.sizeBytes }, { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', sizeBytes: 0 });
    t.equal(await readText(store, key('empty')), '');

    await store.put(key('notes.txt'), text('v2'));
    t.equal(await readText(store, key('notes.txt')), 'v2', 'a second put replaces the object');
    await store.delete(key('notes.txt'));
    t.equal(await store.get(key('notes.txt')), null);
    await store.delete(key('notes.txt'));
    t.pass('deleting a missing object is not an error');
  });

  t.test('a missing key reads as null', async (t) => {
    t.equal(await store.get(key('never/written')), null);
  });

  t.test('too large: nothing stored, the earlier object kept', async (t) => {
    await store.put(key('ckpt'), text('old'));
    await t.rejects(store.put(key('ckpt'), bodyStream(MIB), { maxBytes: MIB - 1 }), { name: 'ObjectStoreError', code: 'too_large' });
    t.equal(await readText(store, key('ckpt')), 'old');
    await t.rejects(store.put(key('fresh'), bodyStream(12 * MIB), { maxBytes: 9 * MIB }), { code: 'too_large' });
    t.equal(await store.get(key('fresh')), null, 'a multi-part body over the limit leaves nothing');
    const exact = await store.put(key('exact'), bodyStream(MIB), { maxBytes: MIB });
    t.equal(exact.sizeBytes, MIB, 'exactly maxBytes is allowed');
  });

  t.test('sha256 mismatch: nothing stored, the earlier object kept', async (t) => {
    await store.put(key('data.csv'), text('a,b\n1,2\n'));
    const wrong = '0'.repeat(64);
    await t.rejects(store.put(key('data.csv'), text('a,b\n3,4\n'), { expectedSha256: wrong }), { code: 'checksum_mismatch' });
    t.equal(await readText(store, key('data.csv')), 'a,b\n1,2\n');
    const { sha256 } = bodyDigest(10 * MIB, 5);
    const ok = await store.put(key('big.bin'), bodyStream(10 * MIB, 5), { expectedSha256: sha256 });
    t.equal(ok.sha256, sha256, 'the right digest is accepted');
    await t.rejects(store.put(key('big2.bin'), bodyStream(10 * MIB, 5), { expectedSha256: wrong }), { code: 'checksum_mismatch' });
    t.equal(await store.get(key('big2.bin')), null, 'a multi-part body that does not match leaves nothing');
  });

  t.test('a body that fails mid-way stores nothing', async (t) => {
    await t.rejects(store.put(key('broken'), failingBody(MIB)), /client went away/);
    t.equal(await store.get(key('broken')), null);
  });

  t.test('keys are validated on every operation', async (t) => {
    for (const bad of ['../x', 'a/../../x', '/abs', 'a//b', 'a/', './a', 'a\0b', 'a\\b', '', 'x'.repeat(256)]) {
      await t.rejects(store.put(bad, text('x')), { code: 'invalid_key' }, `put ${JSON.stringify(bad)}`);
      await t.rejects(store.get(bad), { code: 'invalid_key' }, `get ${JSON.stringify(bad)}`);
      await t.rejects(store.delete(bad), { code: 'invalid_key' }, `delete ${JSON.stringify(bad)}`);
    }
    await t.rejects(store.deletePrefix('proj'), { code: 'invalid_key' }, 'a prefix must be a folder');
    await t.rejects(store.deletePrefix('../'), { code: 'invalid_key' });
  });

  t.test('deletePrefix removes one run and leaves a run whose id shares its text', async (t) => {
    await store.put(artifactKey('p', 'r', 'a/1'), text('1'));
    await store.put(artifactKey('p', 'r', 'b'), text('2'));
    await store.put(artifactKey('p', 'r2', 'a/1'), text('3'));
    await store.put(artifactKey('p/r', 'x', 'y'), text('4'));
    await store.deletePrefix(runKeyPrefix('p', 'r'));
    t.equal(await store.get(artifactKey('p', 'r', 'a/1')), null);
    t.equal(await store.get(artifactKey('p', 'r', 'b')), null);
    t.equal(await readText(store, artifactKey('p', 'r2', 'a/1')), '3');
    t.equal(await readText(store, artifactKey('p/r', 'x', 'y')), '4', 'project ids with / stay one segment');
    await store.deletePrefix(runKeyPrefix('p', 'never'));
    t.pass('an empty folder is not an error');
  });

  t.test('ping', async (t) => {
    t.same(await store.ping(), { ok: true });
  });
}

t.test('local folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mlrun-objects-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  contract(t, () => createObjectStore({ kind: 'local', dir }));

  t.test('local only', async (t) => {
    const store = await createObjectStore({ kind: 'local', dir: join(dir, 'own') });
    const root = join(dir, 'own');
    t.match(store.description, root);
    const stored = await store.put('p/r/m/a.bin', text('abc'));
    t.equal(fileURLToPath(stored.uri), join(root, 'p', 'r', 'm', 'a.bin'), 'uri is a file URL of the file');

    await t.rejects(store.put('p/r/m/b.bin', failingBody(3 * MIB)), /client went away/);
    await t.rejects(store.put('p/r/m/c.bin', bodyStream(2 * MIB), { maxBytes: MIB }), { code: 'too_large' });
    t.same(readdirSync(join(root, 'p', 'r', 'm')), ['a.bin'], 'no temp file or partial file is left behind');
    await t.rejects(store.put('p/r/new/d.bin', failingBody(10)), /client went away/);
    t.same(readdirSync(join(root, 'p', 'r')), ['m'], 'a folder made for a failed put is removed');

    await t.rejects(store.put('p/r/m/a.bin/inner', text('x')), { code: 'key_conflict' }, 'an object cannot be a folder');
    await t.rejects(store.put('p/r/m', text('x')), { code: 'key_conflict' }, 'a folder cannot be an object');
    t.equal(await readText(store, 'p/r/m/a.bin'), 'abc');
    t.equal(await store.get('p/r/m'), null, 'a folder is not an object');

    await store.delete('p/r/m/a.bin');
    t.same(readdirSync(root), [], 'emptied folders are removed up to the root');
    await store.put('p/r/m', text('now a file'));
    t.equal(await readText(store, 'p/r/m'), 'now a file');
  });
});

t.test('S3 (moto)', async (t) => {
  const moto: Moto = await startMoto(t);
  const s3 = { kind: 's3' as const, endpoint: moto.endpoint, region: moto.region, bucket: moto.bucket, accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey, forcePathStyle: true };
  contract(t, () => createObjectStore({ ...s3, prefix: 'install-a' }));

  t.test('S3 only', async (t) => {
    const store = await createObjectStore({ ...s3, prefix: 'install-b/' });
    t.teardown(() => store.close());
    t.notMatch(store.description, moto.secretAccessKey, 'no secret in the description');
    t.notMatch(store.description, moto.accessKeyId);
    const stored = await store.put('p/r/a.txt', text('abc'), { contentType: 'text/plain' });
    t.equal(stored.uri, `s3://${moto.bucket}/install-b/p/r/a.txt`, 'the prefix is part of the key');
    t.equal((await store.get('p/r/a.txt'))?.contentType, 'text/plain');

    await t.rejects(store.put('p/r/big', bodyStream(30 * MIB), { maxBytes: 20 * MIB }), { code: 'too_large' });
    const uploads = await moto.client.send(new ListMultipartUploadsCommand({ Bucket: moto.bucket }));
    t.same(uploads.Uploads ?? [], [], 'the multipart upload was aborted, no parts left behind');

    const missing = await createObjectStore({ ...s3, bucket: 'no-such-bucket-here' });
    t.teardown(() => missing.close());
    const ping = await missing.ping();
    t.equal(ping.ok, false, 'ping reports a missing bucket');
    await t.rejects(createObjectStore({ ...s3, secretAccessKey: undefined }), /both accessKeyId and secretAccessKey/);
  });
});

t.test('artifact keys encode ids as single segments', async (t) => {
  t.equal(artifactKey('vision', 'run-1', 'model/best.pt'), 'vision/run-1/model/best.pt');
  t.equal(artifactKey('a/b', '..', 'x'), 'a%2Fb/%2E./x');
  t.throws(() => artifactKey('p', 'r', '../escape'), { code: 'invalid_key' });
  t.ok(isObjectStoreError(catchError(() => artifactKey('p', '', 'x')), 'invalid_key'), 'empty ids are refused');
});
