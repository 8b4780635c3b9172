/**
 * POST /api/v1/projects/{project}/series end to end: real OTel JS log exporter → receiver → embedded
 * ClickHouse → the query API, values checked exactly; bad input gets precise 400s.
 */
// HTTP/protobuf: the JS JSON exporter serialises NaN as null (JSON.stringify), losing it before it leaves.
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Receiver } from '@mlrun/receiver';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import type { ClickHouse } from '@mlrun/storage';
import { pino } from 'pino';
import t from 'tap';
import type { QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import { openStack } from './fixtures/stack.js';

const logger = pino({ level: 'silent' });
let ch: ClickHouse;
let receiver: Receiver;
let app: QueryApp;

t.before(async () => {
  const stack = await openStack(t, 'series-route');
  ch = stack.clickhouse;
  receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: ch, registry: stack.registry, logger });
  app = await buildApp({ ...stack, logger, version: 'test' });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'mlrun.project': 'vision', 'mlrun.run.id': 'r1' }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://${receiver.httpAddress}/v1/logs` }) })],
  });
  const log = provider.getLogger('train');
  for (let step = 0; step < 50; step++) {
    log.emit({ eventName: 'mlrun.metrics', timestamp: [1_700_000_000 + step, 0], attributes: { 'mlrun.step': step, loss: step === 49 ? Number.NaN : 1 / (step + 1) } });
  }
  await provider.shutdown();
});
t.teardown(async () => {
  await app.close();
  await receiver.close();
});

const post = (body: unknown, project = 'vision') => app.inject({ method: 'POST', url: `/api/v1/projects/${project}/series`, payload: body as Record<string, unknown> });

t.test('raw series with exact values; NaN travels as the string "NaN"', async (t) => {
  const response = await post({ runs: ['r1'], keys: ['loss'] });
  t.equal(response.statusCode, 200);
  const body = response.json<{ xAxis: string; series: { run: string; key: string; mode: string; total: number; points: { x: number; last: number | string; count: number }[] }[] }>();
  t.equal(body.xAxis, 'step');
  t.equal(body.series.length, 1);
  const [series] = body.series;
  t.match(series, { run: 'r1', key: 'loss', mode: 'raw', total: 50 });
  t.same(series?.points[0], { x: 0, last: 1, min: 1, max: 1, count: 1 });
  t.same(series?.points[3], { x: 3, last: 0.25, min: 0.25, max: 0.25, count: 1 });
  t.same(series?.points[49], { x: 49, last: 'NaN', min: 'NaN', max: 'NaN', count: 1 });
});

t.test('downsampled to maxPoints buckets, and zoomed', async (t) => {
  const response = await post({ runs: ['r1'], keys: ['loss'], maxPoints: 5 });
  const [series] = response.json<{ series: { mode: string; points: { x: number; last: number; min: number; max: number; count: number }[] }[] }>().series;
  t.equal(series?.mode, 'buckets');
  t.equal(series?.points.length, 5);
  t.same(series?.points[0], { x: 9, last: 0.1, min: 0.1, max: 1, count: 10 });
  const zoomed = await post({ runs: ['r1'], keys: ['loss'], maxPoints: 5, xMin: 10, xMax: 14 });
  const [zoom] = zoomed.json<{ series: { mode: string; points: { x: number }[] }[] }>().series;
  t.equal(zoom?.mode, 'raw');
  t.same(
    zoom?.points.map((p) => p.x),
    [10, 11, 12, 13, 14],
  );
});

t.test('bad input gets a precise 400', async (t) => {
  const cases: [unknown, RegExp][] = [
    [{ runs: [], keys: ['loss'] }, /runs/],
    [{ runs: ['r1'] }, /keys/],
    [{ runs: ['r1'], keys: ['loss'], maxPoints: 0 }, /maxPoints/],
    [{ runs: ['r1'], keys: ['loss'], maxPoints: 1_000_000 }, /maxPoints/],
    [{ runs: ['r1'], keys: ['loss'], xAxis: 'epoch' }, /xAxis/],
    [{ runs: ['r1'], keys: ['loss'], xMin: 5, xMax: 1 }, /xMin \(5\) is greater than xMax \(1\)/],
    [{ runs: ['r1'], keys: ['loss'], surprise: true }, /surprise|additional/],
  ];
  for (const [body, message] of cases) {
    const response = await post(body);
    t.equal(response.statusCode, 400, JSON.stringify(body));
    t.match(response.json<{ message: string }>().message, message);
  }
  const notJson = await app.inject({ method: 'POST', url: '/api/v1/projects/vision/series', payload: '{oops', headers: { 'content-type': 'application/json' } });
  t.equal(notJson.statusCode, 400);
});

t.test('unknown project or run: an empty list, not an error', async (t) => {
  const response = await post({ runs: ['nope'], keys: ['loss'] }, 'no-such-project');
  t.equal(response.statusCode, 200);
  t.same(response.json(), { xAxis: 'step', series: [] });
});

t.test('GET runs/{run}/metrics: the run’s keys with exact summaries', async (t) => {
  const response = await app.inject({ method: 'GET', url: '/api/v1/projects/vision/runs/r1/metrics' });
  t.equal(response.statusCode, 200);
  t.same(response.json(), {
    run: 'r1',
    metrics: [
      {
        key: 'loss',
        labels: '',
        last: 'NaN', // step 49 logged NaN: the last value is NaN, min/max ignore it
        min: 1 / 49,
        max: 1,
        count: 50,
        lastStep: 49,
        firstTime: '2023-11-14T22:13:20.000Z',
        lastTime: '2023-11-14T22:14:09.000Z',
      },
    ],
  });
  const none = await app.inject({ method: 'GET', url: '/api/v1/projects/vision/runs/nope/metrics' });
  t.equal(none.statusCode, 404);
  t.match(none.json(), { code: 'MLRUN_ERR_NOT_FOUND', message: 'no run "nope" in project "vision"' });
});
