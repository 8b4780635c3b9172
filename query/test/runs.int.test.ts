/**
 * The runs API end to end: real OTel JS SDK pipelines (logs with `mlrun.*` events over OTLP/HTTP protobuf,
 * a gauge over OTLP/gRPC) → receiver with the run registry → Postgres + ClickHouse → the query API.
 * Values are checked exactly; every route's bad input gets a precise 4xx.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Receiver } from '@mlrun/receiver';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import { pino } from 'pino';
import t from 'tap';
import type { ErrorBody, QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import type { Stack } from './fixtures/stack.js';
import { openStack } from './fixtures/stack.js';

interface RunJson {
  id: string;
  name: string | null;
  group: string | null;
  status: string;
  tags: string[];
  notes: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  config?: Record<string, unknown>;
  summary?: Record<string, { last: unknown; min: unknown; max: unknown; count: number }>;
  host?: Record<string, unknown> | null;
}
interface ListJson {
  runs: RunJson[];
  total: number | null;
  nextCursor: string | null;
}

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
let stack: Stack;
let receiver: Receiver;
let app: QueryApp;

/** One training run reported the way the Python SDK will: start (config body), metrics events, end. */
async function reportRun(runId: string, i: number, end: 'finished' | 'failed' | null): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'mlrun.project': 'vision', 'mlrun.run.id': runId, 'service.name': 'trainer' }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://${receiver.httpAddress}/v1/logs` }) })],
  });
  const log = provider.getLogger('mlrun');
  const at = (ms: number): [number, number] => [Math.floor((T0 + ms) / 1000), ((T0 + ms) % 1000) * 1e6];
  log.emit({
    eventName: 'mlrun.run.start',
    timestamp: at(i * 1000),
    body: { lr: 0.001 * (i + 1), batch_size: 32 * (i + 1), optimizer: { name: i % 2 ? 'adam' : 'sgd', betas: [0.9, 0.999] }, amp: i === 0 },
    attributes: { 'mlrun.run.name': `resnet-${i}`, 'mlrun.run.group': 'sweep-1', 'mlrun.run.tags': i === 0 ? ['baseline'] : ['try'], 'mlrun.run.notes': `run ${i}` },
  });
  for (let step = 0; step < 10; step++) {
    log.emit({ eventName: 'mlrun.metrics', timestamp: at(i * 1000 + 10 + step), attributes: { 'mlrun.step': step, loss: (10 - step) / (i + 1), acc: step / 10 } });
  }
  if (i === 1) log.emit({ eventName: 'mlrun.summary', timestamp: at(i * 1000 + 30), attributes: { best_acc: 0.99 } });
  if (end) log.emit({ eventName: 'mlrun.run.end', timestamp: at(i * 1000 + 500), attributes: { 'mlrun.run.status': end, 'mlrun.run.exit_code': end === 'failed' ? 1 : 0 } });
  await provider.shutdown();
}

t.before(async () => {
  stack = await openStack(t, 'runs-api');
  receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: stack.clickhouse, registry: stack.registry, logger });
  app = await buildApp({ ...stack, logger, version: 'test', crashAfterMs: 365 * 24 * 3_600_000 });
  await reportRun('r0', 0, 'finished');
  await reportRun('r1', 1, 'failed');
  await reportRun('r2', 2, null);
  // A run that only ever sends OTel metrics: known by first sight, named from its resource.
  const meters = new MeterProvider({
    resource: resourceFromAttributes({ 'mlrun.project': 'vision', 'mlrun.run.id': 'otel-only', 'mlrun.run.name': 'from-resource' }),
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `http://${receiver.grpcAddress}` }), exportIntervalMillis: 60_000 })],
  });
  meters.getMeter('m').createGauge('gpu.util').record(0.5);
  await meters.shutdown();
});
t.teardown(async () => {
  await app.close();
  await receiver.close();
});

const get = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json<T>() };
};

t.test('the registry holds what the exporters sent', async (t) => {
  const { status, body } = await get<RunJson>('/api/v1/projects/vision/runs/r1');
  t.equal(status, 200);
  t.match(body, {
    id: 'r1',
    name: 'resnet-1',
    group: 'sweep-1',
    status: 'failed',
    tags: ['try'],
    notes: 'run 1',
    createdAt: new Date(T0 + 1000).toISOString(),
    startedAt: new Date(T0 + 1000).toISOString(),
    endedAt: new Date(T0 + 1500).toISOString(),
    durationMs: 500,
    exitCode: 1,
  });
  t.same(body.config, { lr: 0.002, batch_size: 64, optimizer: { name: 'adam', betas: [0.9, 0.999] }, amp: false });
  t.same(body.summary?.loss, { last: 0.5, min: 0.5, max: 5, count: 10 }, 'loss = (10 - step) / 2: last at step 9');
  t.same(body.summary?.best_acc, { last: 0.99, min: null, max: null, count: 0 }, 'an explicit summary');
  const running = await get<RunJson>('/api/v1/projects/vision/runs/r2');
  t.match(running.body, { status: 'running', endedAt: null, exitCode: null });
  const otel = await get<RunJson>('/api/v1/projects/vision/runs/otel-only');
  t.match(otel.body, { name: 'from-resource', status: 'running', startedAt: null, durationMs: null, config: {} });
});

t.test('the run list: default order, filter, sort, columns, total', async (t) => {
  const all = await get<ListJson>('/api/v1/projects/vision/runs');
  t.equal(all.status, 200);
  t.equal(all.body.total, 4);
  t.same(all.body.runs.map((r) => r.id).slice(1), ['r2', 'r1', 'r0'], 'newest first (otel-only was first seen at arrival, now)');
  const filtered = await get<ListJson>(`/api/v1/projects/vision/runs?filter=${encodeURIComponent('config.lr >= 0.002 and summary.loss.min < 1')}&sort=${encodeURIComponent('summary.loss.last asc')}`);
  t.equal(filtered.status, 200, JSON.stringify(filtered.body));
  t.same(filtered.body.runs.map((r) => r.id), ['r2', 'r1']);
  t.equal(filtered.body.total, 2);
  const tagged = await get<ListJson>(`/api/v1/projects/vision/runs?filter=${encodeURIComponent('tags has "baseline" or status = "failed"')}&sort=name`);
  t.same(tagged.body.runs.map((r) => r.id), ['r0', 'r1']);
  const columns = await get<ListJson>(`/api/v1/projects/vision/runs?filter=name~"resnet-*"&sort=created&columns=${encodeURIComponent('config.optimizer.name,summary.acc')}`);
  t.same(columns.body.runs.map((r) => [r.id, r.config, r.summary]), [
    ['r0', { optimizer: { name: 'sgd' } }, { acc: { last: 0.9, min: 0, max: 0.9, count: 10 } }],
    ['r1', { optimizer: { name: 'adam' } }, { acc: { last: 0.9, min: 0, max: 0.9, count: 10 } }],
    ['r2', { optimizer: { name: 'sgd' } }, { acc: { last: 0.9, min: 0, max: 0.9, count: 10 } }],
  ]);
  const bare = await get<ListJson>('/api/v1/projects/vision/runs?columns=&total=false&limit=1');
  t.same(Object.keys(bare.body.runs[0] ?? {}).filter((k) => k === 'config' || k === 'summary'), [], 'columns= (empty) leaves both out');
  t.equal(bare.body.total, null);
});

t.test('cursor pages cover the list exactly once', async (t) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/projects/vision/runs?limit=1&sort=${encodeURIComponent('config.lr desc')}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { status: number; body: ListJson } = await get<ListJson>(url);
    t.equal(page.status, 200, JSON.stringify(page.body));
    seen.push(...page.body.runs.map((r) => r.id));
    cursor = page.body.nextCursor;
  } while (cursor !== null && seen.length < 10);
  t.same(seen, ['r2', 'r1', 'r0', 'otel-only'], 'runs without the key last');
});

t.test('projects and keys', async (t) => {
  const projects = await get<{ projects: Array<{ name: string; runCount: number; runningCount: number }> }>('/api/v1/projects');
  t.match(projects.body.projects.find((p) => p.name === 'vision'), { runCount: 4, runningCount: 2 });
  const keys = await get<{ config: Array<{ key: string; types: string[]; runs: number }>; metrics: Array<{ key: string; labels: string }> }>('/api/v1/projects/vision/keys');
  t.same(keys.body.config.map((k) => [k.key, k.types, k.runs]), [
    ['amp', ['boolean'], 3],
    ['batch_size', ['number'], 3],
    ['lr', ['number'], 3],
    ['optimizer.betas', ['array'], 3],
    ['optimizer.name', ['string'], 3],
  ]);
  t.same(keys.body.metrics.map((m) => m.key), ['acc', 'gpu.util', 'loss']);
});

t.test('compare', async (t) => {
  const response = await app.inject({ method: 'POST', url: '/api/v1/projects/vision/compare', payload: { runs: ['r0', 'r1'], differentOnly: true } });
  t.equal(response.statusCode, 200);
  const body = response.json<{ runs: RunJson[]; config: Array<{ key: string; values: unknown[]; present: boolean[]; differs: boolean }>; metrics: Array<{ key: string; values: unknown[] }> }>();
  t.same(body.runs.map((r) => r.id), ['r0', 'r1']);
  t.same(
    body.config.map((c) => [c.key, c.values, c.present]),
    [
      ['amp', [true, false], [true, true]],
      ['batch_size', [32, 64], [true, true]],
      ['lr', [0.001, 0.002], [true, true]],
      ['optimizer.name', ['sgd', 'adam'], [true, true]],
    ],
    'only differing keys (optimizer.betas is equal), in key order',
  );
  t.same(body.metrics.find((m) => m.key === 'best_acc')?.values, [null, { last: 0.99, min: null, max: null, count: 0 }]);
  t.same(body.metrics.find((m) => m.key === 'loss')?.values, [{ last: 1, min: 1, max: 10, count: 10 }, { last: 0.5, min: 0.5, max: 5, count: 10 }]);
});

t.test('PATCH edits metadata; DELETE removes the run everywhere', async (t) => {
  const patched = await app.inject({ method: 'PATCH', url: '/api/v1/projects/vision/runs/r2', payload: { name: 'renamed', tags: ['x', 'y'], notes: null, group: null } });
  t.equal(patched.statusCode, 200);
  t.match(patched.json(), { name: 'renamed', tags: ['x', 'y'], notes: null, group: null });
  const listed = await get<ListJson>(`/api/v1/projects/vision/runs?filter=${encodeURIComponent('tags has "y"')}`);
  t.same(listed.body.runs.map((r) => [r.id, r.name]), [['r2', 'renamed']], 'the list (ClickHouse mirror) sees the edit at once');

  const deleted = await app.inject({ method: 'DELETE', url: '/api/v1/projects/vision/runs/r2' });
  t.equal(deleted.statusCode, 204);
  t.equal((await get('/api/v1/projects/vision/runs/r2')).status, 404);
  t.notOk((await get<ListJson>('/api/v1/projects/vision/runs')).body.runs.some((r) => r.id === 'r2'), 'gone from the list');
  const series = await app.inject({ method: 'POST', url: '/api/v1/projects/vision/series', payload: { runs: ['r2'], keys: ['loss'] } });
  t.same(series.json<{ series: unknown[] }>().series, [], 'its metric points are gone');
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/projects/vision/runs/r2' })).statusCode, 404, 'a second delete: 404');
});

t.test('bad input gets a precise 4xx on every route', async (t) => {
  const cases: Array<[string, string, unknown, number, string | RegExp, Record<string, unknown>?]> = [
    ['GET', '/api/v1/projects/nope/runs', undefined, 404, /no project "nope"/],
    ['GET', '/api/v1/projects/nope/keys', undefined, 404, /no project/],
    ['GET', '/api/v1/projects/vision/runs/nope', undefined, 404, /no run "nope"/],
    ['GET', `/api/v1/projects/vision/runs/${'r'.repeat(200)}`, undefined, 404, /no run "r{200}"/],
    ['GET', `/api/v1/projects/vision/runs/${'r'.repeat(257)}`, undefined, 400, /runId.*256|256.*runId|must NOT have more than 256/],
    ['GET', '/api/v1/projects/vision/runs?filter=config.lr%20%3E', undefined, 400, /expected a string or a number after '>' at 11, found end of input/, { parameter: 'filter', position: 11 }],
    ['GET', '/api/v1/projects/vision/runs?sort=tags', undefined, 400, /sort/, { parameter: 'sort' }],
    ['GET', '/api/v1/projects/vision/runs?cursor=garbage', undefined, 400, /cursor: not a cursor/, { parameter: 'cursor' }],
    ['GET', '/api/v1/projects/vision/runs?limit=0', undefined, 400, /limit/],
    ['GET', '/api/v1/projects/vision/runs?limit=100000', undefined, 400, /limit/],
    ['GET', '/api/v1/projects/vision/runs?limit=ten', undefined, 400, /limit/],
    ['GET', '/api/v1/projects/vision/runs?bogus=1', undefined, 400, /bogus|additional/],
    ['GET', '/api/v1/projects/vision/runs?columns=metrics.loss', undefined, 400, /columns: expected config/, { parameter: 'columns', position: 0 }],
    ['PATCH', '/api/v1/projects/vision/runs/r0', { status: 'finished' }, 400, /status|additional/],
    ['PATCH', '/api/v1/projects/vision/runs/r0', {}, 400, /fewer than 1|minProperties|must NOT have fewer/],
    ['PATCH', '/api/v1/projects/vision/runs/r0', { tags: 'x' }, 400, /tags/],
    ['PATCH', '/api/v1/projects/vision/runs/nope', { name: 'x' }, 404, /no run/],
    ['DELETE', '/api/v1/projects/vision/runs/nope', undefined, 404, /no run/],
    ['POST', '/api/v1/projects/vision/compare', { runs: [] }, 400, /runs/],
    ['POST', '/api/v1/projects/vision/compare', { runs: ['r0', 'r0'] }, 400, /duplicate|unique/],
    ['POST', '/api/v1/projects/vision/compare', { runs: ['r0', 'ghost'] }, 404, /no run "ghost"/],
  ];
  for (const [method, url, payload, status, message, details] of cases) {
    const response = await app.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    const body = response.json<ErrorBody & { details?: Record<string, unknown> }>();
    t.equal(response.statusCode, status, `${method} ${url} ${JSON.stringify(payload)} → ${status}`);
    t.match(body.message, message, `${method} ${url}: says why (${body.message})`);
    if (details) t.match(body.details, details, `${method} ${url}: details`);
  }
  // A cursor from another sort order is refused rather than silently misread.
  const first = await get<ListJson>('/api/v1/projects/vision/runs?limit=1&sort=name');
  const wrong = await get<ErrorBody>(`/api/v1/projects/vision/runs?limit=1&sort=created&cursor=${first.body.nextCursor ?? ''}`);
  t.equal(wrong.status, 400);
  t.match(wrong.body.message, /another sort/);
});
