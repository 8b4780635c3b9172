/**
 * Runs from TypeScript against a real receiver + query API: startRun / log / setConfig / setSummary / finish
 * send the same mlrun.* log events as the Python SDK, and the run reads back from GET /runs/{id} with its
 * config, summaries, tags, host and end status; the metric points carry the logged steps.
 */
import t from 'tap';
import { RUN_STATUSES, startRun } from '../src/index.js';
import type { RunStatus } from '../src/index.js';
import type { Mlrun } from './fixtures/mlrun.js';
import { getJson, startMlrun } from './fixtures/mlrun.js';

interface RunJson {
  id: string;
  name: string | null;
  group: string | null;
  status: string;
  tags: string[];
  notes: string | null;
  exitCode: number | null;
  config: Record<string, unknown>;
  summary: Record<string, { last: unknown; min: unknown; max: unknown; count: number }>;
  host: Record<string, unknown> | null;
}

let mlrun: Mlrun;
t.before(async () => {
  mlrun = await startMlrun(t, 'run');
});

async function points(project: string, runId: string): Promise<Array<[string, number, number]>> {
  const rows = await mlrun.clickhouse.query<{ key: string; step: string; value: number }>({
    sql: 'SELECT key, step, value FROM metric_points WHERE project = {project:String} AND run_id = {run:String} ORDER BY key, step',
    params: { project, run: runId },
    tag: 'test.instrumentation.points',
  });
  return rows.map((r) => [r.key, Number(r.step), r.value]);
}

async function eventNames(project: string, runId: string): Promise<string[]> {
  const rows = await mlrun.clickhouse.query<{ event_name: string; record_id: string }>({
    sql: "SELECT event_name, attributes_str['mlrun.record.id'] AS record_id FROM logs WHERE project = {project:String} AND run_id = {run:String} ORDER BY timestamp",
    params: { project, run: runId },
    tag: 'test.instrumentation.events',
  });
  t.equal(new Set(rows.map((r) => r.record_id)).size, rows.length, 'every record has its own mlrun.record.id');
  t.notOk(rows.some((r) => r.record_id === ''), 'and none lacks one');
  return rows.map((r) => r.event_name);
}

t.test('start → log → config → summary → finish: the run as the API shows it', async (t) => {
  const run = startRun({
    project: 'p-train',
    endpoint: mlrun.endpoint,
    name: 'ts-resnet',
    group: 'sweep-a',
    notes: 'from TypeScript',
    tags: ['ts', 'baseline'],
    config: { lr: 0.001, batch_size: 32, optimizer: { name: 'adam', betas: [0.9, 0.999] }, started: new Date(Date.UTC(2026, 0, 1)), skip: undefined },
  });
  t.match(run.id, /^[0-9a-f]{16}$/, 'a generated id');
  run.log({ loss: 1, acc: 0.5 });
  run.log({ loss: 0.5, acc: 0.75, converged: false });
  // A value that is not a number is dropped (with a diag warning), the row is still logged.
  run.log({ loss: 0.25, note: 'not a metric' as unknown as number }, 10);
  run.log({ loss: 0.2 });
  run.setConfig({ epochs: 3, optimizer: { weight_decay: 0.01 } });
  run.setSummary({ best_acc: 0.9 });
  await run.flush();
  t.equal((await getJson<RunJson>(mlrun, `/api/v1/projects/p-train/runs/${run.id}`)).body.status, 'running', 'flush() delivers without ending the run');
  await run.finish();
  t.equal(run.finished, true);

  const { status, body } = await getJson<RunJson>(mlrun, `/api/v1/projects/p-train/runs/${run.id}`);
  t.equal(status, 200);
  t.match(body, { id: run.id, name: 'ts-resnet', group: 'sweep-a', notes: 'from TypeScript', tags: ['ts', 'baseline'], status: 'finished', exitCode: 0 });
  t.same(body.config, { lr: 0.001, batch_size: 32, optimizer: { name: 'adam', betas: [0.9, 0.999], weight_decay: 0.01 }, started: '2026-01-01T00:00:00.000Z', epochs: 3 });
  t.same(body.summary.loss, { last: 0.2, min: 0.2, max: 1, count: 4 });
  t.same(body.summary.acc, { last: 0.75, min: 0.5, max: 0.75, count: 2 });
  t.same(body.summary.best_acc, { last: 0.9, min: null, max: null, count: 0 });
  t.notOk('note' in body.summary, 'the string was not stored as a metric');
  t.match(body.host, { node: process.versions.node, pid: process.pid });
  t.same(await points('p-train', run.id), [
    ['acc', 0, 0.5],
    ['acc', 1, 0.75],
    ['converged', 1, 0],
    ['loss', 0, 1],
    ['loss', 1, 0.5],
    ['loss', 10, 0.25],
    ['loss', 11, 0.2],
  ], 'steps count from 0 and continue after an explicit one');
  // mlrun.metrics records become metric points (above), not log rows; the other events are kept in `logs`.
  t.same(await eventNames('p-train', run.id), ['mlrun.run.start', 'mlrun.run.config', 'mlrun.summary', 'mlrun.run.end']);
});

t.test('end statuses and exit codes; finish() once; nothing is sent after it', async (t) => {
  const expected: Array<[RunStatus, number | undefined, number]> = [
    ['failed', undefined, 1],
    ['killed', undefined, 130],
    ['failed', 3, 3],
  ];
  for (const [i, [endStatus, code, exitCode]] of expected.entries()) {
    const run = startRun({ project: 'p-end', id: `end-${i}`, endpoint: mlrun.endpoint });
    run.log({ x: i });
    const first = run.finish(endStatus, code);
    t.equal(run.finish('finished'), first, 'a second finish() is the first one');
    await first;
    run.log({ x: 99 });
    const { body } = await getJson<RunJson>(mlrun, `/api/v1/projects/p-end/runs/end-${i}`);
    t.match(body, { status: endStatus, exitCode, name: `end-${i}` }, `${endStatus} ${String(code)}`);
    t.same(body.summary.x, { last: i, min: i, max: i, count: 1 }, 'log() after finish() sent nothing');
  }
  const run = startRun({ project: 'p-end', id: 'bad', endpoint: mlrun.endpoint });
  t.throws(() => run.finish('done' as RunStatus), /status must be one of finished, failed, killed/);
  t.same(RUN_STATUSES, ['finished', 'failed', 'killed']);
  await run.finish();
});

t.test('a quiet run sends heartbeats so it does not read as crashed', async (t) => {
  const run = startRun({ project: 'p-quiet', id: 'quiet', endpoint: mlrun.endpoint, heartbeatMs: 40 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await run.finish();
  const events = await eventNames('p-quiet', 'quiet');
  t.equal(events[0], 'mlrun.run.start');
  t.equal(events.at(-1), 'mlrun.run.end');
  t.ok(events.filter((e) => e === 'mlrun.heartbeat').length >= 2, `heartbeats between: ${events.join(', ')}`);
});
