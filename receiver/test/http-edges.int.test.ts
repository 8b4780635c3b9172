/**
 * OTLP/HTTP edge cases against a running receiver: status codes and google.rpc.Status bodies for bad
 * input, gzip, OTLP/JSON rules, partial success, lossless storage of extreme values — and that none of
 * it disturbs the process or other clients' data.
 */
import { gzipSync } from 'node:zlib';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from '@mlrun/proto';
import t from 'tap';
import { decodeRequest } from '../src/otlp/decode.js';
import type { Harness } from './helpers/harness.js';
import { closeStorage, startHarness, uniqueProject } from './helpers/harness.js';

const LIMIT = 256 * 1024;
let h: Harness;
t.before(async () => {
  h = await startHarness({ receiver: { maxMessageBytes: LIMIT } });
});
t.teardown(async () => {
  await h.close();
  await closeStorage();
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function jsonRequest(project: string, spans: unknown[], resourceAttributes?: unknown[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes ?? [{ key: 'mlrun.project', value: { stringValue: project } }] },
        scopeSpans: [{ scope: { name: 'edge' }, spans }],
      },
    ],
  };
}

function span(overrides: Record<string, unknown> = {}) {
  return { traceId: TRACE, spanId: SPAN, name: 'op', kind: 1, startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000000002', ...overrides };
}

function post(path: string, body: Uint8Array | string, headers: Record<string, string>) {
  return fetch(`${h.httpUrl}${path}`, { method: 'POST', body, headers });
}

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  post('/v1/traces', typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers });

const postProto = (body: Uint8Array, headers: Record<string, string> = {}) => post('/v1/traces', body, { 'content-type': 'application/x-protobuf', ...headers });

/** The protobuf encoding of an OTLP/JSON request (through the receiver's own JSON decoder). */
function protoOf(json: unknown): Uint8Array {
  const decoded = decodeRequest('traces', Buffer.from(JSON.stringify(json)), 'json');
  if (!decoded.ok) throw new Error(decoded.error);
  return ExportTraceServiceRequest.encode(decoded.value).finish();
}

async function jsonStatus(response: Response) {
  t.equal(response.headers.get('content-type')?.split(';')[0], 'application/json');
  return (await response.json()) as { code?: number; message?: string };
}

async function protoStatus(response: Response) {
  t.equal(response.headers.get('content-type'), 'application/x-protobuf');
  return RpcStatus.decode(new Uint8Array(await response.arrayBuffer()));
}

async function count(project: string): Promise<number> {
  const rows = await h.rows<{ n: string }>('SELECT count() AS n FROM spans WHERE project = {p:String}', { p: project });
  return Number(rows[0]?.n);
}

t.test('valid JSON and protobuf requests answer 200 in their own content type', async (t) => {
  const project = uniqueProject('ok');
  const json = await postJson(jsonRequest(project, [span()]));
  t.equal(json.status, 200);
  t.equal(json.headers.get('content-type')?.split(';')[0], 'application/json');
  t.same(await json.json(), {}, 'full success: partial_success unset');
  const proto = await postProto(protoOf(jsonRequest(project, [span({ spanId: 'eee19b7ec3c1b175' })])));
  t.equal(proto.status, 200);
  t.equal(proto.headers.get('content-type'), 'application/x-protobuf');
  const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await proto.arrayBuffer()));
  t.equal(decoded.partialSuccess, null);
  t.equal(await count(project), 2);
});

t.test('gzip bodies are accepted on HTTP', async (t) => {
  const project = uniqueProject('gzip');
  const response = await postProto(gzipSync(protoOf(jsonRequest(project, [span()]))), { 'content-encoding': 'gzip' });
  t.equal(response.status, 200);
  const json = await post('/v1/traces', gzipSync(JSON.stringify(jsonRequest(project, [span({ spanId: '0000000000000009' })]))), {
    'content-type': 'application/json',
    'content-encoding': 'gzip',
  });
  t.equal(json.status, 200);
  t.equal(await count(project), 2);
});

t.test('malformed input gets 400 with a google.rpc.Status naming the problem', async (t) => {
  const garbage = await protoStatus(await postProto(Buffer.from('this is not protobuf \xff\xff\xff\xff')));
  t.equal(garbage.code, 3);
  t.match(garbage.message, /invalid protobuf/);
  const valid = protoOf(jsonRequest('x', [span()]));
  const truncated = await postProto(valid.subarray(0, valid.length - 7));
  t.equal(truncated.status, 400);
  t.match((await protoStatus(truncated)).message, /invalid protobuf/);
  const badJson = await postJson('{"resourceSpans": [');
  t.equal(badJson.status, 400);
  t.match((await jsonStatus(badJson)).message, /invalid JSON/);
  const array = await postJson('[]');
  t.equal(array.status, 400);
  t.match((await jsonStatus(array)).message, /must be a JSON object/);
  const badHex = await postJson(jsonRequest('x', [span({ traceId: 'zz8efff798038103d269b633813fc60c' })]));
  t.equal(badHex.status, 400);
  t.match((await jsonStatus(badHex)).message, /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId/);
  const wrongType = await postJson({ resourceSpans: 'nope' });
  t.equal(wrongType.status, 400);
  t.match((await jsonStatus(wrongType)).message, /resourceSpans/);
  const badGzip = await postProto(Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
  t.equal(badGzip.status, 400);
  t.match((await protoStatus(badGzip)).message, /invalid gzip body/);
});

t.test('invalid UTF-8 in a protobuf string is rejected, valid multi-byte UTF-8 kept', async (t) => {
  const project = uniqueProject('utf8');
  const marker = 'MARKER-NAME';
  const bytes = Buffer.from(protoOf(jsonRequest(project, [span({ name: marker })])));
  const at = bytes.indexOf(marker);
  bytes[at] = 0xc3; // a UTF-8 lead byte followed by 'A' (not a continuation byte)
  const response = await postProto(bytes);
  t.equal(response.status, 400);
  t.match((await protoStatus(response)).message, /UTF-8/);
  const ok = await postProto(protoOf(jsonRequest(project, [span({ name: 'ünïcödé ✓ 日本' })])));
  t.equal(ok.status, 200);
  const rows = await h.rows<{ name: string }>('SELECT name FROM spans WHERE project = {p:String}', { p: project });
  t.same(rows, [{ name: 'ünïcödé ✓ 日本' }]);
});

t.test('wrong content type → 415, wrong method → 405, unknown path → 404', async (t) => {
  const text = await post('/v1/traces', 'hello', { 'content-type': 'text/plain' });
  t.equal(text.status, 415);
  t.match((await jsonStatus(text)).message, /unsupported Content-Type text\/plain/);
  const encoding = await postProto(Buffer.from([]), { 'content-encoding': 'br' });
  t.equal(encoding.status, 415);
  const get = await fetch(`${h.httpUrl}/v1/metrics`);
  t.equal(get.status, 405);
  t.equal(get.headers.get('allow'), 'POST, OPTIONS');
  t.match((await jsonStatus(get)).message, /GET is not allowed/);
  const missing = await post('/v2/traces', '{}', { 'content-type': 'application/json' });
  t.equal(missing.status, 404);
});

t.test('oversize bodies → 413, before and after decompression', async (t) => {
  const big = Buffer.alloc(LIMIT + 1, 1);
  const direct = await postProto(big);
  t.equal(direct.status, 413);
  t.match((await protoStatus(direct)).message, /exceeds/);
  const bomb = gzipSync(Buffer.alloc(LIMIT * 4, 0));
  t.ok(bomb.length < LIMIT, 'the compressed body itself is small');
  const inflated = await postProto(bomb, { 'content-encoding': 'gzip' });
  t.equal(inflated.status, 413);
  t.match((await protoStatus(inflated)).message, /decompressed/);
});

t.test('empty requests succeed and store nothing', async (t) => {
  t.equal((await postProto(new Uint8Array())).status, 200);
  t.equal((await postJson({})).status, 200);
  t.equal((await post('/v1/logs', new Uint8Array(), { 'content-type': 'application/x-protobuf' })).status, 200);
  t.equal((await post('/v1/metrics', '{}', { 'content-type': 'application/json' })).status, 200);
});

t.test('CORS preflight lets browser exporters post', async (t) => {
  const response = await fetch(`${h.httpUrl}/v1/traces`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  t.equal(response.status, 204);
  t.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  t.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  const post = await postJson({}, { origin: 'http://localhost:5173' });
  t.equal(post.headers.get('access-control-allow-origin'), 'http://localhost:5173');
});

t.test('partial success: invalid spans are counted, the rest stored', async (t) => {
  const project = uniqueProject('partial');
  const response = await postJson(
    jsonRequest(project, [span({ spanId: '0000000000000001' }), span({ traceId: 'abcdef' }), span({ spanId: '' }), span({ spanId: '0000000000000002' })]),
  );
  t.equal(response.status, 200);
  const body = (await response.json()) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
  t.equal(body.partialSuccess?.rejectedSpans, '2');
  t.match(body.partialSuccess?.errorMessage, /trace_id must be 16 bytes/);
  t.equal(await count(project), 2);
  const proto = await postProto(protoOf(jsonRequest(project, [span({ traceId: '00000000000000000000000000000000' })])));
  const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await proto.arrayBuffer()));
  t.equal(String(decoded.partialSuccess?.rejectedSpans), '1');
});

t.test('OTLP/JSON rules: unknown fields ignored, enums as ints, 64-bit ints as strings or numbers, any-case hex', async (t) => {
  const project = uniqueProject('json-rules');
  const response = await postJson({
    futureField: { nested: true },
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: project } }], unknownThing: 1 },
        scopeSpans: [
          {
            scope: { name: 'rules', someNewField: 'x' },
            spans: [
              { ...span({ traceId: TRACE.toUpperCase(), kind: 2, status: { code: 2, message: 'bad' } }), brandNewField: [1, 2] },
              span({ spanId: '0000000000000003', startTimeUnixNano: 1700000000000000, endTimeUnixNano: '1700000000000001' }),
            ],
          },
        ],
      },
    ],
  });
  t.equal(response.status, 200);
  t.same(await response.json(), {});
  const rows = await h.rows<Record<string, unknown>>(
    `SELECT trace_id, kind, status_code, status_message, toString(toUnixTimestamp64Nano(timestamp)) AS start FROM spans WHERE project = {p:String} ORDER BY span_id`,
    { p: project },
  );
  t.same(rows, [
    { trace_id: TRACE, kind: 1, status_code: 0, status_message: '', start: '1700000000000000' },
    { trace_id: TRACE, kind: 2, status_code: 2, status_message: 'bad', start: '1700000000000000001' },
  ]);
});

t.test('extreme values are stored losslessly: NaN, ±Inf, int64 limits, zero timestamps', async (t) => {
  const project = uniqueProject('extremes');
  const attributes = [
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'inf', value: { doubleValue: 'Infinity' } },
    { key: 'ninf', value: { doubleValue: '-Infinity' } },
    { key: 'max', value: { intValue: '9223372036854775807' } },
    { key: 'min', value: { intValue: '-9223372036854775808' } },
    { key: 'bytes', value: { bytesValue: 'AAEC/w==' } },
    { key: 'nested', value: { kvlistValue: { values: [{ key: 'deep', value: { arrayValue: { values: [{ boolValue: false }, { doubleValue: 'NaN' }] } } }] } } },
  ];
  const response = await postJson(jsonRequest(project, [span({ startTimeUnixNano: '0', endTimeUnixNano: 0, attributes })]));
  t.equal(response.status, 200);
  const rows = await h.rows<Record<string, unknown>>(
    `SELECT toString(toUnixTimestamp64Nano(timestamp)) AS start, toString(toUnixTimestamp64Nano(end_timestamp)) AS end, duration_ns,
            toString(attributes_float['nan']) AS nan, toString(attributes_float['inf']) AS inf, toString(attributes_float['ninf']) AS ninf,
            toString(attributes_int['max']) AS max, toString(attributes_int['min']) AS min, attributes_json
       FROM spans WHERE project = {p:String}`,
    { p: project },
  );
  t.match(rows[0], { start: '0', end: '0', nan: 'nan', inf: 'inf', ninf: '-inf', max: '9223372036854775807', min: '-9223372036854775808' });
  const json = rows[0]?.attributes_json as Record<string, string>;
  t.same(JSON.parse(json.bytes ?? ''), { bytesValue: 'AAEC/w==' });
  t.same(JSON.parse(json.nested ?? ''), {
    kvlistValue: { values: [{ key: 'deep', value: { arrayValue: { values: [{ boolValue: false }, { doubleValue: 'NaN' }] } } }] },
  });
});

t.test('project falls back to default when the resource names neither project nor service', async (t) => {
  const before = await count('default');
  const response = await postJson(jsonRequest('', [span({ spanId: '00000000000000aa' })], []));
  t.equal(response.status, 200);
  t.equal(await count('default'), before + 1);
});

t.test('after all of the above the receiver still serves other clients', async (t) => {
  const project = uniqueProject('still-up');
  const response = await postJson(jsonRequest(project, [span()]));
  t.equal(response.status, 200);
  t.equal(await count(project), 1);
});
