/**
 * Record-id de-duplication (issue 4): log records carrying `mlrun.record.id` are stored at most once per
 * project — in logs, in metric_points and so in the summaries fed by it — across retries, concurrent
 * copies, a receiver restart and a failed write; records without an id are stored every time.
 * Real OTLP/HTTP protobuf requests against a real receiver and chDB.
 */
import { ExportLogsServiceRequest, Long } from '@mlrun/proto';
import type { RunEvent } from '@mlrun/storage';
import { readRunSummaries } from '@mlrun/storage';
import t from 'tap';
import type { RowSink } from '../src/index.js';
import type { Harness } from './helpers/harness.js';
import { closeStorage, reopenStorage, startHarness, uniqueProject } from './helpers/harness.js';

/** Inserts into this table fail (once each) while the count is above zero. */
const failing: { table: string; times: number } = { table: '', times: 0 };
const failOnce = (sink: RowSink): RowSink => ({
  async insert(table, rows) {
    if (table === failing.table && failing.times > 0) {
      failing.times--;
      throw new Error(`injected failure of ${table}`);
    }
    return sink.insert(table, rows);
  },
});
const events: RunEvent[] = [];
const registry = { apply: async (batch: readonly RunEvent[]) => void events.push(...batch) };

let h: Harness;
t.before(async () => {
  h = await startHarness({ receiver: { flushIntervalMs: 20 }, wrapSink: failOnce, registry });
});
t.teardown(async () => {
  await h.close();
  await closeStorage();
});

interface Rec {
  /** `mlrun.record.id`; none when undefined. */
  readonly id?: string;
  readonly step: number;
  /** Defaults to a `mlrun.metrics` record (one point, `loss` = step / 10); `log` is a console line. */
  readonly kind?: 'metrics' | 'log' | 'start';
}

function record(rec: Rec) {
  const attributes = rec.id === undefined ? [] : [{ key: 'mlrun.record.id', value: { stringValue: rec.id } }];
  const timeUnixNano = Long.fromNumber(1_700_000_000_000 + rec.step).multiply(1_000_000);
  if (rec.kind === 'log') return { timeUnixNano, attributes, body: { stringValue: `line ${rec.step}` } };
  if (rec.kind === 'start') return { timeUnixNano, attributes, eventName: 'mlrun.run.start', body: { kvlistValue: { values: [] } } };
  return {
    timeUnixNano,
    eventName: 'mlrun.metrics',
    attributes: [...attributes, { key: 'mlrun.step', value: { intValue: Long.fromNumber(rec.step) } }, { key: 'loss', value: { doubleValue: rec.step / 10 } }],
  };
}

function body(project: string, run: string, records: readonly Rec[]): Uint8Array {
  const resource = { attributes: [{ key: 'mlrun.project', value: { stringValue: project } }, { key: 'mlrun.run.id', value: { stringValue: run } }] };
  const request = ExportLogsServiceRequest.fromObject({ resourceLogs: [{ resource, scopeLogs: [{ scope: { name: 'mlrun' }, logRecords: records.map(record) }] }] });
  return ExportLogsServiceRequest.encode(request).finish();
}

const post = (target: Harness, payload: Uint8Array) =>
  fetch(`${target.httpUrl}/v1/logs`, { method: 'POST', body: payload, headers: { 'content-type': 'application/x-protobuf' } });

async function count(target: Harness, table: 'logs' | 'metric_points' | 'record_ids', project: string): Promise<number> {
  const rows = await target.rows<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE project = {p:String}`, { p: project });
  return Number(rows[0]?.n);
}

async function steps(target: Harness, project: string): Promise<number[]> {
  const rows = await target.rows<{ step: string }>('SELECT step FROM metric_points WHERE project = {p:String} ORDER BY step', { p: project });
  return rows.map((r) => Number(r.step));
}

const range = (from: number, to: number, prefix: string): Rec[] => Array.from({ length: to - from + 1 }, (_, i) => ({ id: `${prefix}-${from + i}`, step: from + i }));

t.test('the same request sent twice is stored once: logs, metric_points, summaries, record_ids', async (t) => {
  const project = uniqueProject('twice');
  const records: Rec[] = [...range(1, 20, 'r'), { id: 'r-log', step: 21, kind: 'log' }];
  const payload = body(project, 'run-1', records);
  const before = h.receiver.stats().duplicatesDropped;
  t.equal((await post(h, payload)).status, 200);
  t.equal((await post(h, payload)).status, 200, 'the replay is answered plain success');
  t.equal(await count(h, 'metric_points', project), 20);
  t.equal(await count(h, 'logs', project), 1);
  t.equal(await count(h, 'record_ids', project), 21, 'one id per stored record');
  t.equal(h.receiver.stats().duplicatesDropped - before, 21);
  const [loss] = await readRunSummaries(h.ch, { project, runId: 'run-1' });
  t.equal(loss?.count, 20n, 'the summary counts each point once');
  t.equal(loss?.last, 2);
});

t.test('a request whose ids partly overlap an earlier one stores only the new records', async (t) => {
  const project = uniqueProject('overlap');
  t.equal((await post(h, body(project, 'run-1', range(1, 10, 'o')))).status, 200);
  t.equal((await post(h, body(project, 'run-1', range(6, 15, 'o')))).status, 200);
  t.same(await steps(h, project), range(1, 15, 'o').map((r) => r.step));
  const [loss] = await readRunSummaries(h.ch, { project, runId: 'run-1' });
  t.equal(loss?.count, 15n);
});

t.test('an id repeated within one request keeps its first record', async (t) => {
  const project = uniqueProject('within');
  const response = await post(h, body(project, 'run-1', [{ id: 'w-1', step: 1 }, { id: 'w-1', step: 2 }, { id: 'w-2', step: 3 }, { id: 'w-1', step: 4 }]));
  t.equal(response.status, 200);
  t.same(await steps(h, project), [1, 3]);
});

t.test('ids are unique per project: the same id in another project is stored there too', async (t) => {
  const a = uniqueProject('proj-a');
  const b = uniqueProject('proj-b');
  await post(h, body(a, 'run-1', range(1, 3, 'same')));
  await post(h, body(b, 'run-1', range(1, 3, 'same')));
  t.equal(await count(h, 'metric_points', a), 3);
  t.equal(await count(h, 'metric_points', b), 3);
});

t.test('the same request sent three times concurrently: all succeed, stored once', async (t) => {
  const project = uniqueProject('concurrent');
  const payload = body(project, 'run-1', range(1, 50, 'c'));
  const responses = await Promise.all([post(h, payload), post(h, payload), post(h, payload)]);
  t.same(responses.map((r) => r.status), [200, 200, 200]);
  t.same(await steps(h, project), range(1, 50, 'c').map((r) => r.step));
});

t.test('records without an id are stored every time, beside de-duplicated ones', async (t) => {
  const project = uniqueProject('no-id');
  const payload = body(project, 'run-1', [{ step: 1 }, { step: 2, kind: 'log' }, { id: 'n-3', step: 3 }]);
  for (let i = 0; i < 3; i++) t.equal((await post(h, payload)).status, 200);
  t.same(await steps(h, project), [1, 1, 1, 3]);
  t.equal(await count(h, 'logs', project), 3);
  t.equal(await count(h, 'record_ids', project), 1);
});

t.test('a run event carried by a replayed record is applied once, and the replay is no sighting', async (t) => {
  const project = uniqueProject('events');
  const payload = body(project, 'run-ev', [{ id: 'e-start', step: 0, kind: 'start' }]);
  await post(h, payload);
  await post(h, payload);
  const mine = events.filter((e) => e.project === project);
  t.same(mine.map((e) => e.kind), ['seen', 'start']);
  t.equal(await count(h, 'logs', project), 1);
});

t.test('a failed write is answered retryable, and the retry stores the rows once', async (t) => {
  const project = uniqueProject('failed');
  const payload = body(project, 'run-1', range(1, 10, 'f'));
  failing.table = 'metric_points';
  failing.times = 1;
  t.equal((await post(h, payload)).status, 503);
  t.equal(await count(h, 'metric_points', project), 0, 'nothing stored');
  t.equal(await count(h, 'record_ids', project), 0, 'no id recorded for rows that were not written');
  t.equal((await post(h, payload)).status, 200);
  t.equal((await post(h, payload)).status, 200);
  t.equal(await count(h, 'metric_points', project), 10);
});

t.test('concurrent copies while the first write fails: one is refused, the other stores the rows', async (t) => {
  const project = uniqueProject('failed-concurrent');
  const payload = body(project, 'run-1', range(1, 10, 'fc'));
  failing.table = 'metric_points';
  failing.times = 1;
  const statuses = (await Promise.all([post(h, payload), post(h, payload)])).map((r) => r.status).sort();
  t.same(statuses, [200, 503]);
  t.equal(await count(h, 'metric_points', project), 10);
});

t.test('if only the id insert fails, the answer is success and a retry to this receiver is still dropped', async (t) => {
  const project = uniqueProject('ids-failed');
  const payload = body(project, 'run-1', range(1, 5, 'i'));
  failing.table = 'record_ids';
  failing.times = 1;
  t.equal((await post(h, payload)).status, 200, 'the rows are stored');
  t.equal(await count(h, 'record_ids', project), 0);
  t.equal((await post(h, payload)).status, 200);
  t.equal(await count(h, 'metric_points', project), 5, 'the retry was dropped by the ids remembered in memory');
});

t.test('after a restart on the same data directory, a replay is still stored once', async (t) => {
  const project = uniqueProject('restart');
  const payload = body(project, 'run-1', [...range(1, 30, 'rs'), { id: 'rs-log', step: 31, kind: 'log' }]);
  t.equal((await post(h, payload)).status, 200);
  await h.close();
  await reopenStorage();
  h = await startHarness({ receiver: { flushIntervalMs: 20 }, wrapSink: failOnce, registry });
  t.equal(h.receiver.stats().duplicatesDropped, 0, 'a new receiver remembers nothing in memory');
  t.equal((await post(h, payload)).status, 200);
  t.equal(h.receiver.stats().duplicatesDropped, 31, 'storage knew every id');
  t.equal(await count(h, 'metric_points', project), 30);
  t.equal(await count(h, 'logs', project), 1);
  const [loss] = await readRunSummaries(h.ch, { project, runId: 'run-1' });
  t.equal(loss?.count, 30n);
});
