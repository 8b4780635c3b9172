/**
 * The artifact routes end to end on embedded PGlite and a local object store (through app.inject and
 * through a real listener where streaming matters), and once on S3 (moto, started here). Runs are made
 * with plain SQL: these tests do not depend on the receiver's registry writes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ObjectStore, Postgres } from '@mlrun/storage';
import { createObjectStore, getArtifact } from '@mlrun/storage';
import { pino } from 'pino';
import t from 'tap';
import type { QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import { bodyDigest, bodyStream } from '../../storage/test/fixtures/bodies.js';
import { startMoto } from '../../storage/test/fixtures/moto.js';
import type { Stack } from './fixtures/stack.js';
import { openStack } from './fixtures/stack.js';

const logger = pino({ level: 'silent' });
const MIB = 1024 * 1024;
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let stack: Stack;
let app: QueryApp;
const MAX = 4 * MIB;

async function addRun(pg: Postgres, project: string, runId: string): Promise<void> {
  await pg.query({ sql: 'INSERT INTO projects (name) VALUES ($1) ON CONFLICT DO NOTHING', params: [project], tag: 'test.project' });
  await pg.query({ sql: 'INSERT INTO runs (project, id) VALUES ($1, $2)', params: [project, runId], tag: 'test.run' });
}

/** inject sends a stream body without saying so; a real client's chunked upload carries this header. */
const CHUNKED = { 'transfer-encoding': 'chunked' };

const url = (runId: string, path = '', project = 'vision') => `/api/v1/projects/${project}/runs/${runId}/artifacts${path === '' ? '' : `/${path}`}`;

t.before(async () => {
  stack = await openStack(t, 'artifacts');
  app = await buildApp({ ...stack, logger, version: 'test', maxArtifactBytes: MAX });
  await addRun(stack.postgres, 'vision', 'r1');
});
t.teardown(() => app.close());

t.test('PUT, GET, HEAD, list, DELETE', async (t) => {
  const body = Buffer.from('{"accuracy": 0.93}\n');
  const put = await app.inject({ method: 'PUT', url: url('r1', 'eval/metrics.json'), payload: body, headers: { 'content-type': 'application/json', 'x-mlrun-artifact-type': 'metrics', 'x-mlrun-sha256': sha(body) } });
  t.equal(put.statusCode, 201, put.body);
  const record = put.json();
  t.match(record, { path: 'eval/metrics.json', type: 'metrics', sha256: sha(body), sizeBytes: body.length });
  t.match(record.uri, /^file:\/\/.*\/artifacts\/vision\/r1\/eval\/metrics\.json$/);
  t.match(record.createdAt, /Z$/);

  const get = await app.inject({ method: 'GET', url: url('r1', 'eval/metrics.json') });
  t.equal(get.statusCode, 200);
  t.same(get.rawPayload, body, 'the bytes come back exactly (a JSON body is stored, not parsed)');
  t.equal(get.headers['content-length'], String(body.length));
  t.equal(get.headers['content-type'], 'application/json');
  t.equal(get.headers.etag, `"${sha(body)}"`);
  t.equal(get.headers['content-disposition'], `attachment; filename="metrics.json"; filename*=UTF-8''metrics.json`);
  t.equal(get.headers['x-content-type-options'], 'nosniff');

  const head = await app.inject({ method: 'HEAD', url: url('r1', 'eval/metrics.json') });
  t.equal(head.statusCode, 200);
  t.equal(head.headers['content-length'], String(body.length), 'HEAD says the size');
  t.equal(head.headers.etag, `"${sha(body)}"`);
  t.equal(head.rawPayload.length, 0);

  const notModified = await app.inject({ method: 'GET', url: url('r1', 'eval/metrics.json'), headers: { 'if-none-match': `"${sha(body)}"` } });
  t.equal(notModified.statusCode, 304);

  const list = await app.inject({ method: 'GET', url: url('r1') });
  t.equal(list.statusCode, 200);
  t.same(list.json(), { artifacts: [record], nextCursor: null });

  const del = await app.inject({ method: 'DELETE', url: url('r1', 'eval/metrics.json') });
  t.equal(del.statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: url('r1', 'eval/metrics.json') })).statusCode, 404);
  t.equal((await app.inject({ method: 'HEAD', url: url('r1', 'eval/metrics.json') })).statusCode, 404);
  const again = await app.inject({ method: 'DELETE', url: url('r1', 'eval/metrics.json') });
  t.match(again.json(), { statusCode: 404, code: 'MLRUN_ERR_NOT_FOUND', message: /no artifact "eval\/metrics.json"/ });
  t.same(readdirSync(join(stack.dataDir, 'artifacts')), [], 'the bytes are gone, and their emptied folders');
});

t.test('type from ?type=, any Content-Type, no Content-Type, empty bodies, replace', async (t) => {
  const a = await app.inject({ method: 'PUT', url: `${url('r1', 'data/train.csv')}?type=dataset`, payload: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } });
  t.match(a.json(), { type: 'dataset', sizeBytes: 8 });
  const b = await app.inject({ method: 'PUT', url: url('r1', 'empty.bin'), payload: '' });
  t.equal(b.statusCode, 201, b.body);
  t.match(b.json(), { type: null, sizeBytes: 0, sha256: sha('') });
  const c = await app.inject({ method: 'PUT', url: url('r1', 'data/train.csv'), payload: Readable.from([Buffer.from('x,y\n')]), headers: CHUNKED });
  t.equal(c.statusCode, 201, 'a chunked body without Content-Type');
  t.match(c.json(), { type: null, sizeBytes: 4, sha256: sha('x,y\n') }, 're-PUT replaces the record');
  t.equal((await app.inject({ method: 'GET', url: url('r1', 'data/train.csv') })).body, 'x,y\n');
  const both = await app.inject({ method: 'PUT', url: `${url('r1', 'm')}?type=a`, payload: 'x', headers: { 'x-mlrun-artifact-type': 'b' } });
  t.match(both.json(), { statusCode: 400, message: /differ/ });
  const badType = await app.inject({ method: 'PUT', url: url('r1', 'm'), payload: 'x', headers: { 'x-mlrun-artifact-type': 'has space' } });
  t.match(badType.json(), { statusCode: 400, code: 'MLRUN_ERR_VALIDATION' });
  const gzip = await app.inject({ method: 'PUT', url: url('r1', 'm'), payload: 'x', headers: { 'content-encoding': 'gzip' } });
  t.match(gzip.json(), { statusCode: 400, message: /Content-Encoding gzip/ });
});

t.test('sha256 mismatch: 400, nothing recorded, the earlier version kept', async (t) => {
  const v1 = await app.inject({ method: 'PUT', url: url('r1', 'model.pt'), payload: 'version 1' });
  t.equal(v1.statusCode, 201);
  const bad = await app.inject({ method: 'PUT', url: url('r1', 'model.pt'), payload: 'version 2', headers: { 'x-mlrun-sha256': sha('something else') } });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { code: 'MLRUN_ERR_BAD_REQUEST', message: /x-mlrun-sha256 does not match/ });
  t.equal((await getArtifact(stack.postgres, 'vision', 'r1', 'model.pt'))?.sha256, sha('version 1'), 'the record still describes version 1');
  t.equal((await app.inject({ method: 'GET', url: url('r1', 'model.pt') })).body, 'version 1');
  const fresh = await app.inject({ method: 'PUT', url: url('r1', 'fresh.pt'), payload: 'abc', headers: { 'x-mlrun-sha256': sha('abd').toUpperCase() } });
  t.equal(fresh.statusCode, 400);
  t.equal(await getArtifact(stack.postgres, 'vision', 'r1', 'fresh.pt'), null, 'no record');
  t.equal((await app.inject({ method: 'GET', url: url('r1', 'fresh.pt') })).statusCode, 404);
  const upper = await app.inject({ method: 'PUT', url: url('r1', 'fresh.pt'), payload: 'abc', headers: { 'x-mlrun-sha256': sha('abc').toUpperCase() } });
  t.equal(upper.statusCode, 201, 'upper-case hex is accepted');
});

t.test('unknown run or project: 404 on every route', async (t) => {
  for (const [method, target] of [
    ['PUT', url('nope', 'a.txt')],
    ['GET', url('nope', 'a.txt')],
    ['HEAD', url('nope', 'a.txt')],
    ['DELETE', url('nope', 'a.txt')],
    ['GET', url('nope')],
    ['GET', url('r1', '', 'other-project')],
  ] as const) {
    const response = await app.inject({ method, url: target, ...(method === 'PUT' ? { payload: 'x' } : {}) });
    t.equal(response.statusCode, 404, `${method} ${target}`);
    if (method !== 'HEAD') t.match(response.json(), { code: 'MLRUN_ERR_NOT_FOUND', message: /no run "(nope|r1)" in project/ });
  }
  const missing = await app.inject({ method: 'GET', url: url('r1', 'never.txt') });
  t.match(missing.json(), { code: 'MLRUN_ERR_NOT_FOUND', message: 'no artifact "never.txt" in run "r1"' });
});

t.test('oversize: 413 from Content-Length before any byte, and from a chunked body mid-way', async (t) => {
  const declared = await app.inject({ method: 'PUT', url: url('r1', 'big.bin'), payload: Buffer.alloc(MAX + 1) });
  t.equal(declared.statusCode, 413);
  t.match(declared.json(), { code: 'MLRUN_ERR_PAYLOAD_TOO_LARGE', message: `artifact is larger than the limit of ${MAX} bytes` });
  t.equal(declared.headers.connection, 'close');
  const chunked = await app.inject({ method: 'PUT', url: url('r1', 'big.bin'), payload: bodyStream(MAX + 1), headers: CHUNKED });
  t.equal(chunked.statusCode, 413);
  t.match(chunked.json(), { code: 'MLRUN_ERR_PAYLOAD_TOO_LARGE' });
  t.equal(await getArtifact(stack.postgres, 'vision', 'r1', 'big.bin'), null);
  const exact = await app.inject({ method: 'PUT', url: url('r1', 'big.bin'), payload: bodyStream(MAX), headers: CHUNKED });
  t.equal(exact.statusCode, 201, 'exactly the limit is accepted');
  t.equal(exact.json().sha256, bodyDigest(MAX).sha256);
});

t.test('bad paths: 400; a path that is another artifact\'s folder: 409', async (t) => {
  // (inject resolves literal dot segments like a browser would; raw ones are sent by the listener test.)
  for (const path of ['a/..%2F..%2Fescape', '..%2Fx', 'a//b', 'a%00b', 'a%5Cb', 'dir/', `${'x'.repeat(256)}/y`]) {
    const response = await app.inject({ method: 'PUT', url: url('r1', path), payload: 'x' });
    t.equal(response.statusCode, 400, path);
    t.match(response.json(), { code: 'MLRUN_ERR_BAD_REQUEST', message: /artifact path/ }, path);
    t.equal((await app.inject({ method: 'GET', url: url('r1', path) })).statusCode, 400, `GET ${path}`);
  }
  await app.inject({ method: 'PUT', url: url('r1', 'ckpt/epoch-1.pt'), payload: 'x' });
  const asFile = await app.inject({ method: 'PUT', url: url('r1', 'ckpt'), payload: 'x' });
  t.equal(asFile.statusCode, 409);
  t.match(asFile.json(), { code: 'MLRUN_ERR_CONFLICT', message: /clashes with artifact "ckpt\/epoch-1.pt"/ });
  const asFolder = await app.inject({ method: 'PUT', url: url('r1', 'ckpt/epoch-1.pt/inner'), payload: 'x' });
  t.equal(asFolder.statusCode, 409);
});

interface Page {
  artifacts: Array<{ path: string }>;
  nextCursor: string | null;
}

t.test('list: prefix, limit and cursor pages', async (t) => {
  await addRun(stack.postgres, 'vision', 'lister');
  const paths = ['b.txt', 'ckpt/1.pt', 'ckpt/2.pt', 'ckpt/3.pt', 'a.txt', 'ckpt2'];
  for (const path of paths) await app.inject({ method: 'PUT', url: url('lister', path), payload: path });
  const walk = async (query: string) => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const target: string = `${url('lister')}?${query}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await app.inject({ method: 'GET', url: target });
      t.equal(response.statusCode, 200, response.body);
      const page: Page = response.json();
      pages.push(page.artifacts.map((a) => a.path));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  };
  t.same(await walk('limit=2'), [['a.txt', 'b.txt'], ['ckpt/1.pt', 'ckpt/2.pt'], ['ckpt/3.pt', 'ckpt2']]);
  t.same(await walk('limit=2&prefix=ckpt/'), [['ckpt/1.pt', 'ckpt/2.pt'], ['ckpt/3.pt']]);
  t.same(await walk('prefix=zzz'), [[]], 'a prefix with no match is an empty page of an existing run');
  const bad = await app.inject({ method: 'GET', url: `${url('lister')}?cursor=!!` });
  t.match(bad.json(), { statusCode: 400, message: /cursor/ });
  const tooMany = await app.inject({ method: 'GET', url: `${url('lister')}?limit=1001` });
  t.equal(tooMany.statusCode, 400);
});

t.test('Range requests', async (t) => {
  await app.inject({ method: 'PUT', url: url('r1', 'alphabet.txt'), payload: 'abcdefghijklmnopqrstuvwxyz' });
  const get = (range: string) => app.inject({ method: 'GET', url: url('r1', 'alphabet.txt'), headers: { range } });
  const middle = await get('bytes=2-5');
  t.equal(middle.statusCode, 206);
  t.equal(middle.body, 'cdef');
  t.equal(middle.headers['content-range'], 'bytes 2-5/26');
  t.equal(middle.headers['content-length'], '4');
  t.equal((await get('bytes=20-')).body, 'uvwxyz');
  t.equal((await get('bytes=-3')).body, 'xyz');
  t.equal((await get('bytes=24-1000')).body, 'yz');
  const past = await get('bytes=26-');
  t.equal(past.statusCode, 416);
  t.equal(past.headers['content-range'], 'bytes */26');
  t.match(past.json(), { statusCode: 416, code: 'MLRUN_ERR_RANGE_NOT_SATISFIABLE', error: 'Range Not Satisfiable' });
  t.equal((await get('bytes=0-1,4-5')).statusCode, 200, 'several ranges: the whole object');
  const stale = await app.inject({ method: 'GET', url: url('r1', 'alphabet.txt'), headers: { range: 'bytes=0-0', 'if-range': '"old"' } });
  t.equal(stale.statusCode, 200, 'If-Range with another ETag: the whole object');
});

t.test('a real listener: streamed upload and download, a client that goes away', async (t) => {
  const listener = await buildApp({ ...stack, logger, version: 'test', maxArtifactBytes: 64 * MIB });
  t.teardown(() => listener.close());
  // Each failed request's error, in order, so the test can wait for the server's side of a disconnect.
  const failures: Error[] = [];
  let failed: (() => void) | undefined;
  listener.addHook('onError', async (_request, _reply, error) => {
    failures.push(error);
    failed?.();
  });
  await listener.listen({ host: '127.0.0.1', port: 0 });
  const address = listener.server.address();
  const server = { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` };
  const size = 24 * MIB + 7;
  const expected = bodyDigest(size, 9);
  const put = await fetch(`${server.url}${url('r1', 'stream/weights.bin')}`, {
    method: 'PUT',
    body: Readable.toWeb(bodyStream(size, 9)),
    headers: { 'content-type': 'application/octet-stream', 'x-mlrun-sha256': expected.sha256 },
    duplex: 'half',
  });
  t.equal(put.status, 201);
  t.match(await put.json(), expected);
  const get = await fetch(`${server.url}${url('r1', 'stream/weights.bin')}`);
  t.equal(get.headers.get('content-length'), String(size));
  const hash = createHash('sha256');
  let got = 0;
  for await (const chunk of get.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    got += chunk.length;
  }
  t.same({ sha256: hash.digest('hex'), sizeBytes: got }, expected, 'the download hashes the same');

  // Raw dot segments, as a hostile client sends them (no URL normalisation on the way).
  for (const path of ['../../../../etc/passwd', 'a/../../r2/x', './a', 'a/%2E%2E/%2E%2E/x']) {
    const status = await rawStatus(server.url, 'PUT', url('r1', path), 'x');
    t.equal(status, 400, `raw PUT ${path}`);
  }
  t.equal(await rawStatus(server.url, 'PUT', url('r1', 'no-type.bin'), 'abc'), 201, 'a body without Content-Type');
  t.equal((await fetch(`${server.url}${url('r1', 'no-type.bin')}`).then((r) => r.text())), 'abc');

  // A client that sends part of its body and disconnects leaves no record and no bytes.
  const target = new URL(`${server.url}${url('r1', 'stream/aborted.bin')}`);
  const handled = new Promise<void>((resolve) => (failed = resolve));
  const request = httpRequest(target, { method: 'PUT', headers: { 'content-length': String(10 * MIB) } });
  request.on('error', () => {}); // the socket we destroy
  request.write(randomBytes(MIB), () => request.destroy());
  await handled;
  t.match(failures.at(-1)?.message, /the upload ended before its body did/, 'the server saw the upload end early');
  t.equal(await getArtifact(stack.postgres, 'vision', 'r1', 'stream/aborted.bin'), null);
  t.same(
    readdirSync(join(stack.dataDir, 'artifacts', 'vision', 'r1', 'stream')),
    ['weights.bin'],
    'no partial or temp file left',
  );
});

/** Status of a request sent byte for byte as given (node:http does not resolve dot segments). */
function rawStatus(base: string, method: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    // `path` as an option, not inside a URL string: a URL would resolve the dot segments away.
    const request = httpRequest({ hostname, port, path, method, headers: { 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(body);
  });
}

t.test('S3 mode (moto)', async (t) => {
  const moto = await startMoto(t);
  const objects: ObjectStore = await createObjectStore({ kind: 's3', endpoint: moto.endpoint, region: moto.region, bucket: moto.bucket, prefix: 'mlrun', accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey, forcePathStyle: true });
  t.teardown(() => objects.close());
  const s3App = await buildApp({ ...stack, objects, logger, version: 'test', maxArtifactBytes: 32 * MIB });
  t.teardown(() => s3App.close());
  await addRun(stack.postgres, 'vision', 's3run');
  const size = 12 * MIB + 3; // two parts
  const expected = bodyDigest(size, 4);
  const put = await s3App.inject({ method: 'PUT', url: url('s3run', 'model/weights.bin'), payload: bodyStream(size, 4), headers: { ...CHUNKED, 'x-mlrun-sha256': expected.sha256, 'x-mlrun-artifact-type': 'model' } });
  t.equal(put.statusCode, 201, put.body);
  t.match(put.json(), { ...expected, type: 'model', uri: `s3://${moto.bucket}/mlrun/vision/s3run/model/weights.bin` });
  const get = await s3App.inject({ method: 'GET', url: url('s3run', 'model/weights.bin') });
  t.equal(get.statusCode, 200);
  t.equal(sha(get.rawPayload), expected.sha256);
  const part = await s3App.inject({ method: 'GET', url: url('s3run', 'model/weights.bin'), headers: { range: `bytes=${size - 10}-` } });
  t.equal(part.statusCode, 206);
  t.same(part.rawPayload, get.rawPayload.subarray(size - 10));
  const bad = await s3App.inject({ method: 'PUT', url: url('s3run', 'model/other.bin'), payload: bodyStream(size, 4), headers: { ...CHUNKED, 'x-mlrun-sha256': sha('x') } });
  t.equal(bad.statusCode, 400);
  t.equal((await s3App.inject({ method: 'GET', url: url('s3run', 'model/other.bin') })).statusCode, 404);
  t.equal((await s3App.inject({ method: 'DELETE', url: url('s3run', 'model/weights.bin') })).statusCode, 204);
  t.equal(await objects.get('vision/s3run/model/weights.bin'), null, 'the bytes are gone from the bucket');
});
