/**
 * GET /api/v1/projects/{project}/runs/{runId}/logs end to end: real OTel JS LoggerProvider and OTLP
 * exporter → receiver → embedded ClickHouse → the query API. Console lines keep their severity, events
 * their structured bodies, mlrun.metrics records never show up, cursors page without gaps or repeats,
 * and bad input gets a precise 400.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogRecord as OtelLogRecord } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Receiver } from '@mlrun/receiver';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import { pino } from 'pino';
import t from 'tap';
import type { ErrorBody, QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import type { Stack } from './fixtures/stack.js';
import { openStack } from './fixtures/stack.js';

interface LogJson {
  time: string;
  timeUnixNano: string;
  observedTime: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: unknown;
  attributes: Record<string, unknown>;
  traceId: string;
  spanId: string;
}
interface PageJson {
  run: string;
  logs: LogJson[];
  nextCursor: string | null;
}

const logger = pino({ level: 'silent' });
let receiver: Receiver;
let app: QueryApp;
let stack: Stack;

/** 2023-11-14T22:13:20Z plus `ms` milliseconds and `ns` nanoseconds, as an OTel HrTime. */
const at = (ms: number, ns = 0): [number, number] => [1_700_000_000 + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];
const LINES = 24;

t.before(async () => {
  stack = await openStack(t, 'run-logs');
  receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: stack.clickhouse, registry: stack.registry, logger });
  app = await buildApp({ ...stack, logger, version: 'test' });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'mlrun.project': 'vision', 'mlrun.run.id': 'r-logs' }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://${receiver.httpAddress}/v1/logs` }) })],
  });
  const log = provider.getLogger('train');
  const emit = (record: OtelLogRecord) => log.emit(record);
  emit({
    eventName: 'mlrun.run.start',
    timestamp: at(0),
    body: { lr: 0.001, optimizer: { name: 'adamw', betas: [0.9, 0.999] } },
    attributes: { 'mlrun.run.name': 'resnet50', 'mlrun.run.tags': ['baseline', 'v2'] },
  });
  for (let i = 0; i < LINES; i++) {
    // Pairs of lines share a timestamp (the SDK clock ticks in milliseconds); every fourth is a warning.
    const warn = i % 4 === 3;
    emit({
      timestamp: at(10 + Math.floor(i / 2), 7),
      severityNumber: warn ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: warn ? 'WARN' : 'INFO',
      body: `epoch ${i} loss=${(1 / (i + 1)).toFixed(4)}`,
    });
    emit({ eventName: 'mlrun.metrics', timestamp: at(10 + i), attributes: { 'mlrun.step': i, loss: 1 / (i + 1) } });
  }
  emit({
    timestamp: at(100),
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'eval 50% done, CUDA_OOM retrying',
    attributes: { attempt: 2, 'gpu.mem': 0.75, retry: true, device: 'cuda:0', ids: [1, 2] },
  });
  emit({ eventName: 'mlrun.run.end', timestamp: at(200), attributes: { 'mlrun.run.status': 'finished', 'mlrun.run.exit_code': 0 } });
  await provider.shutdown();
});
t.teardown(async () => {
  await app.close();
  await receiver.close();
});

const get = (query = '', run = 'r-logs', project = 'vision') => app.inject({ method: 'GET', url: `/api/v1/projects/${project}/runs/${run}/logs${query}` });

async function walk(query: string): Promise<LogJson[]> {
  const out: LogJson[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const response = await get(`${query}${cursor === null ? '' : `&cursor=${cursor}`}`);
    t.equal(response.statusCode, 200);
    const page = response.json<PageJson>();
    out.push(...page.logs);
    cursor = page.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('pagination did not end');
}

t.test('a page of the run: lines and events oldest first, metrics records left out', async (t) => {
  const response = await get();
  t.equal(response.statusCode, 200);
  const page = response.json<PageJson>();
  t.equal(page.run, 'r-logs');
  t.equal(page.nextCursor, null);
  t.equal(page.logs.length, 1 + LINES + 2, 'start, every console line, the error line and end');
  t.notOk(page.logs.some((l) => l.eventName === 'mlrun.metrics'), 'no mlrun.metrics record');
  t.same(
    page.logs.map((l) => l.eventName),
    ['mlrun.run.start', ...Array<string>(LINES + 1).fill(''), 'mlrun.run.end'],
  );
  const [start, first] = page.logs;
  t.same(start?.body, { lr: 0.001, optimizer: { name: 'adamw', betas: [0.9, 0.999] } }, 'the config body is JSON');
  t.same(start?.attributes, { 'mlrun.run.name': 'resnet50', 'mlrun.run.tags': ['baseline', 'v2'] });
  t.match(first, { time: '2023-11-14T22:13:20.010Z', timeUnixNano: '1700000000010000007', severityNumber: 9, severityText: 'INFO', traceId: '', spanId: '' });
  t.match(first?.body, /^epoch [01] loss=/);
  const bodies = page.logs.map((l) => l.body);
  for (let i = 0; i < LINES; i++) t.ok(bodies.includes(`epoch ${i} loss=${(1 / (i + 1)).toFixed(4)}`), `line ${i} is there once`);
  const times = page.logs.map((l) => BigInt(l.timeUnixNano));
  t.ok(
    times.every((x, i) => i === 0 || (times[i - 1] as bigint) <= x),
    'non-decreasing time',
  );
  const error = page.logs.at(-2);
  t.match(error, { severityNumber: 17, severityText: 'ERROR', body: 'eval 50% done, CUDA_OOM retrying' });
  t.same(error?.attributes, { attempt: 2, 'gpu.mem': 0.75, retry: true, device: 'cuda:0', ids: [1, 2] }, 'attributes keep their types');
  t.ok(!Number.isNaN(Date.parse(error?.observedTime ?? '')) && /^\d+$/.test(error?.observedTimeUnixNano ?? ''), 'observed time as ISO and nanoseconds');
});

t.test('cursors walk every record exactly once, in both orders', async (t) => {
  const whole = (await get()).json<PageJson>().logs;
  for (const limit of [1, 2, 5, 7]) {
    t.same(await walk(`?limit=${limit}`), whole, `asc, limit ${limit}`);
    t.same(await walk(`?limit=${limit}&order=desc`), [...whole].reverse(), `desc, limit ${limit}`);
  }
  const first = (await get('?limit=3')).json<PageJson>();
  t.equal(first.logs.length, 3);
  t.match(first.nextCursor, /^[A-Za-z0-9_-]+$/, 'an opaque base64url cursor');
});

t.test('filters: kind, minimum severity by number or name, search', async (t) => {
  const events = (await get('?kind=events')).json<PageJson>().logs;
  t.same(
    events.map((l) => l.eventName),
    ['mlrun.run.start', 'mlrun.run.end'],
  );
  const lines = (await get('?kind=console')).json<PageJson>().logs;
  t.equal(lines.length, LINES + 1);
  t.ok(lines.every((l) => l.eventName === ''));
  for (const min of ['13', 'warn', 'WARN']) {
    const warnings = (await get(`?minSeverity=${min}`)).json<PageJson>().logs;
    t.same(
      warnings.map((l) => l.severityText),
      [...Array<string>(LINES / 4).fill('WARN'), 'ERROR'],
      `minSeverity=${min}`,
    );
  }
  t.same(
    (await get('?minSeverity=error')).json<PageJson>().logs.map((l) => l.body),
    ['eval 50% done, CUDA_OOM retrying'],
  );
  for (const needle of ['50%25', 'cuda_oom', '%25+done']) {
    t.same(
      (await get(`?search=${needle}`)).json<PageJson>().logs.map((l) => l.body),
      ['eval 50% done, CUDA_OOM retrying'],
      `search=${decodeURIComponent(needle)}`,
    );
  }
  t.same((await get('?search=run.end')).json<PageJson>().logs.map((l) => l.eventName), ['mlrun.run.end'], 'event names are searched');
  t.same(await walk('?kind=console&minSeverity=warn&limit=2&order=desc'), (await get('?kind=console&minSeverity=warn&order=desc')).json<PageJson>().logs);
});

t.test('bad input gets a precise 400 with the error body', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['?limit=0', 'MLRUN_ERR_VALIDATION', /limit/],
    ['?limit=5000', 'MLRUN_ERR_VALIDATION', /limit/],
    ['?limit=x', 'MLRUN_ERR_VALIDATION', /limit/],
    ['?order=up', 'MLRUN_ERR_VALIDATION', /order/],
    ['?kind=metrics', 'MLRUN_ERR_VALIDATION', /kind/],
    ['?minSeverity=25', 'MLRUN_ERR_VALIDATION', /minSeverity/],
    ['?minSeverity=loud', 'MLRUN_ERR_VALIDATION', /minSeverity/],
    ['?surprise=1', 'MLRUN_ERR_VALIDATION', /surprise|additional/],
    ['?cursor=zzz', 'MLRUN_ERR_BAD_REQUEST', /^query parameter cursor: not a cursor returned by this endpoint$/],
    ['?cursor=!!', 'MLRUN_ERR_BAD_REQUEST', /^query parameter cursor: /],
    [`?cursor=${Buffer.from('a:1:2:3:-1').toString('base64url')}`, 'MLRUN_ERR_BAD_REQUEST', /cursor/],
    [`?cursor=${Buffer.from('a:1:2:18446744073709551616:0').toString('base64url')}`, 'MLRUN_ERR_BAD_REQUEST', /cursor/],
    [`?cursor=${'A'.repeat(500)}`, 'MLRUN_ERR_BAD_REQUEST', /cursor/],
  ];
  for (const [query, code, message] of cases) {
    const response = await get(query);
    t.equal(response.statusCode, 400, query);
    const body = response.json<ErrorBody>();
    t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], `${query}: the ErrorBody shape`);
    t.match(body, { statusCode: 400, code, error: 'Bad Request', message }, query);
  }
  const asc = (await get('?limit=2')).json<PageJson>().nextCursor ?? '';
  const mixed = await get(`?order=desc&cursor=${asc}`);
  t.equal(mixed.statusCode, 400);
  t.match(mixed.json<ErrorBody>(), { code: 'MLRUN_ERR_BAD_REQUEST', message: /cursor: issued for order=asc, not order=desc/ });
});

t.test('a run without logs is an empty last page; an unknown run is a 404', async (t) => {
  await stack.registry.apply([{ kind: 'seen', project: 'vision', runId: 'quiet', timeMs: Date.now() }]);
  const response = await get('', 'quiet');
  t.equal(response.statusCode, 200);
  t.same(response.json(), { run: 'quiet', logs: [], nextCursor: null });
  const unknown = await get('', 'no-such-run');
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { code: 'MLRUN_ERR_NOT_FOUND', message: 'no run "no-such-run" in project "vision"' });
  t.equal((await get('', 'r-logs', 'other-project')).statusCode, 404, 'the same run id in another project');
});

t.test('the route is in the OpenAPI document', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>();
  const route = doc.paths['/api/v1/projects/{project}/runs/{runId}/logs']?.get;
  t.ok(route, 'listed');
  t.same(
    (route?.parameters ?? []).map((p) => p.name).sort(),
    ['cursor', 'kind', 'limit', 'minSeverity', 'order', 'project', 'runId', 'search'],
  );
});
