/**
 * GET /api/v1/projects/{project}/runs/groups on embedded chDB and PGlite: runs seeded through the registry
 * writer (Postgres + the ClickHouse mirror) and metric points inserted into ClickHouse, grouped by a config
 * string, a config number, the group field; the null group, filters, exact metric aggregates (NaN and
 * missing values left out, explicit summaries first), the running count under the crash timeout,
 * truncation, and every kind of bad input.
 */
import type { JsonObject, MetricPointRow, RunEvent } from '@mlrun/storage';
import { MetricPointSource } from '@mlrun/storage';
import { pino } from 'pino';
import t from 'tap';
import type { ErrorBody, QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import type { Stack } from './fixtures/stack.js';
import { openStack } from './fixtures/stack.js';

interface Aggregate {
  mean: number | string | null;
  min: number | string | null;
  max: number | string | null;
  count: number;
}
interface Group {
  value: string | number | boolean | null;
  count: number;
  running: number;
  metrics: Record<string, Aggregate>;
}
interface GroupsJson {
  by: string;
  groups: Group[];
  truncated: boolean;
}

const logger = pino({ level: 'silent' });
const P = 'grp';
const NOW = Date.now();
const CRASH_AFTER = 10 * 60_000;
let stack: Stack;
let app: QueryApp;

interface Seed {
  readonly id: string;
  readonly group?: string;
  readonly config: JsonObject;
  /** finished; running (seen a minute ago); crashed (running, silent for two hours). */
  readonly state: 'finished' | 'running' | 'crashed';
  readonly loss?: readonly number[];
}

/** Loss values are binary fractions, so sums and means are exact in any order. */
const SEEDS: readonly Seed[] = [
  { id: 'a1', group: 'sweep-a', config: { optimizer: 'adam', layers: 2, model: { depth: 50 } }, state: 'finished', loss: [0.5, 0.25] },
  { id: 'a2', group: 'sweep-a', config: { optimizer: 'adam', layers: 4, model: { depth: 101 } }, state: 'running', loss: [0.75, 0.125] },
  { id: 'a3', group: 'sweep-a', config: { optimizer: 'adam', layers: 2 }, state: 'crashed', loss: [0.625, Number.NaN] },
  { id: 's1', group: 'sweep-b', config: { optimizer: 'sgd', layers: 2 }, state: 'finished', loss: [1.5] },
  { id: 's2', config: { optimizer: 'sgd', layers: '2' }, state: 'running' },
  { id: 'n1', config: { layers: 8 }, state: 'finished', loss: [0.875] },
  { id: 'n2', config: { optimizer: null, layers: [1, 2] }, state: 'finished', loss: [1] },
  { id: 'o1', config: { optimizer: { name: 'x' }, layers: true }, state: 'finished' },
  { id: 'gone', group: 'sweep-a', config: { optimizer: 'adam', layers: 2 }, state: 'finished', loss: [0.001] },
];

function events(seed: Seed, project: string, i: number): RunEvent[] {
  const started = seed.state === 'running' ? NOW - 60_000 : NOW - 2 * 3_600_000 + i * 1000;
  const start: RunEvent = { kind: 'start', project, runId: seed.id, timeMs: started, config: seed.config };
  const out: RunEvent[] = [seed.group === undefined ? start : { ...start, group: seed.group }];
  if (seed.state === 'finished') out.push({ kind: 'end', project, runId: seed.id, timeMs: started + 500, status: 'finished' });
  return out;
}

function points(seed: Seed, project: string): MetricPointRow[] {
  return (seed.loss ?? []).map((value, step) => ({
    project,
    runId: seed.id,
    key: 'loss',
    labels: '',
    step: BigInt(step),
    time: BigInt(NOW - 3_600_000 + step) * 1_000_000n,
    value,
    source: MetricPointSource.event,
  }));
}

t.before(async () => {
  stack = await openStack(t, 'run-groups');
  app = await buildApp({ ...stack, logger, version: 'test', crashAfterMs: CRASH_AFTER });
  await stack.registry.apply([
    ...SEEDS.flatMap((s, i) => events(s, P, i)),
    // An explicit summary wins over the computed last value (1.5), as in the run list.
    { kind: 'summary', project: P, runId: 's1', timeMs: NOW - 3_600_000, values: { loss: { last: 2 } } },
    // Another project: never counted in grp; one of its runs is literally called "groups".
    ...events({ id: 'x1', group: 'sweep-a', config: { optimizer: 'adam' }, state: 'running' }, 'other', 0),
    ...events({ id: 'groups', config: { optimizer: 'lion' }, state: 'finished' }, 'other', 1),
  ]);
  await stack.clickhouse.insert('metric_points', [...SEEDS.flatMap((s) => points(s, P)), ...points({ id: 'x1', config: {}, state: 'running', loss: [7] }, 'other')]);
  t.ok(await stack.registry.delete(P, 'gone'), 'a deleted run is never counted');
});
t.teardown(async () => {
  await app.close();
});

const get = async <T>(path: string, params: Record<string, string>): Promise<{ status: number; body: T }> => {
  const response = await app.inject({ method: 'GET', url: `/api/v1/projects/${path}?${new URLSearchParams(params).toString()}` });
  return { status: response.statusCode, body: response.json<T>() };
};
const groups = (params: Record<string, string>, project = P) => get<GroupsJson>(`${project}/runs/groups`, params);
const EMPTY: Aggregate = { mean: null, min: null, max: null, count: 0 };

t.test('by a config string: typed groups, null for missing, JSON null and non-scalars, exact aggregates', async (t) => {
  const { status, body } = await groups({ by: 'config.optimizer', metrics: 'summary.loss.last, summary."loss".min,summary.acc.last' });
  t.equal(status, 200, JSON.stringify(body));
  t.equal(body.by, 'config.optimizer');
  t.equal(body.truncated, false);
  t.same(body.groups, [
    {
      value: 'adam',
      count: 3,
      running: 1,
      metrics: {
        'summary.loss.last': { mean: 0.1875, min: 0.125, max: 0.25, count: 2 },
        'summary."loss".min': { mean: (0.25 + 0.125 + 0.625) / 3, min: 0.125, max: 0.625, count: 3 },
        'summary.acc.last': EMPTY,
      },
    },
    {
      value: null,
      count: 3,
      running: 0,
      metrics: { 'summary.loss.last': { mean: 0.9375, min: 0.875, max: 1, count: 2 }, 'summary."loss".min': { mean: 0.9375, min: 0.875, max: 1, count: 2 }, 'summary.acc.last': EMPTY },
    },
    {
      value: 'sgd',
      count: 2,
      running: 1,
      metrics: { 'summary.loss.last': { mean: 2, min: 2, max: 2, count: 1 }, 'summary."loss".min': { mean: 1.5, min: 1.5, max: 1.5, count: 1 }, 'summary.acc.last': EMPTY },
    },
  ]);
});

t.test('by a config number: numbers stay numbers, 2 and "2" and true are different groups, ordered by type', async (t) => {
  const { status, body } = await groups({ by: 'config.layers' });
  t.equal(status, 200);
  t.same(
    body.groups.map((g) => [g.value, g.count, g.running]),
    [
      [2, 3, 0],
      [4, 1, 1],
      [8, 1, 0],
      ['2', 1, 1],
      [true, 1, 0],
      [null, 1, 0],
    ],
  );
  t.same(body.groups[0]?.metrics, {}, 'no metrics asked, none returned');
  const nested = await groups({ by: 'config.model.depth' });
  t.same(
    nested.body.groups.map((g) => [g.value, g.count]),
    [
      [null, 6],
      [50, 1],
      [101, 1],
    ],
  );
});

t.test('by group: the running count applies the crash timeout', async (t) => {
  const { body } = await groups({ by: 'group', metrics: 'summary.loss.count' });
  t.same(body.by, 'group');
  t.same(
    body.groups.map((g) => [g.value, g.count, g.running, g.metrics['summary.loss.count']]),
    [
      [null, 4, 1, { mean: 1, min: 1, max: 1, count: 2 }],
      ['sweep-a', 3, 1, { mean: 2, min: 2, max: 2, count: 3 }],
      ['sweep-b', 1, 0, { mean: 1, min: 1, max: 1, count: 1 }],
    ],
  );
  const running = await groups({ by: 'group', filter: 'status = "running"' });
  t.same(
    running.body.groups.map((g) => [g.value, g.count, g.running]),
    [
      ['sweep-a', 1, 1],
      [null, 1, 1],
    ],
    'a3 went silent two hours ago: crashed, as the run list says',
  );
  const crashed = await groups({ by: 'group', filter: 'status = "crashed"' });
  t.same(crashed.body.groups, [{ value: 'sweep-a', count: 1, running: 0, metrics: {} }]);
});

t.test('a filter restricts the runs counted, summaries included', async (t) => {
  const byLayers = await groups({ by: 'config.optimizer', filter: 'config.layers = 2', metrics: 'summary.loss.last' });
  t.same(
    byLayers.body.groups.map((g) => [g.value, g.count, g.metrics['summary.loss.last']]),
    [
      ['adam', 2, { mean: 0.25, min: 0.25, max: 0.25, count: 1 }],
      ['sgd', 1, { mean: 2, min: 2, max: 2, count: 1 }],
    ],
  );
  const bySummary = await groups({ by: 'config.optimizer', filter: 'summary.loss.last < 0.5' });
  t.same(bySummary.body.groups, [{ value: 'adam', count: 2, running: 1, metrics: {} }]);
  const none = await groups({ by: 'group', filter: 'name = "nothing"' });
  t.same(none.body, { by: 'group', groups: [], truncated: false });
});

t.test('limit and truncated', async (t) => {
  const two = await groups({ by: 'config.layers', limit: '2' });
  t.same(
    two.body.groups.map((g) => g.value),
    [2, 4],
  );
  t.equal(two.body.truncated, true);
  const exact = await groups({ by: 'config.layers', limit: '6' });
  t.equal(exact.body.groups.length, 6);
  t.equal(exact.body.truncated, false, 'exactly limit groups is not truncated');
  for (const limit of ['0', '1001', 'x']) t.equal((await groups({ by: 'group', limit })).status, 400, `limit=${limit}`);
});

t.test('bad by, metrics or filter: a 400 naming the parameter', async (t) => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ by: 'name' }, 'by', /expected group or config.<path> at 0, found 'name'/],
    [{ by: 'summary.loss.last' }, 'by', /expected group or config/],
    [{ by: 'tags' }, 'by', /expected group or config/],
    [{ by: 'group.x' }, 'by', /expected group or config/],
    [{ by: 'config' }, 'by', /config key/],
    [{ by: '' }, 'by', /found end of input/],
    [{ by: 'group, config.lr' }, 'by', /expected end of input/],
    [{ by: 'group', metrics: 'loss' }, 'metrics', /summary.<key>.<stat>/],
    [{ by: 'group', metrics: 'summary.loss' }, 'metrics', /statistic/],
    [{ by: 'group', metrics: 'summary.loss.median' }, 'metrics', /statistic/],
    [{ by: 'group', metrics: 'summary.loss.last,' }, 'metrics', /summary.<key>.<stat>/],
    [{ by: 'group', metrics: Array.from({ length: 11 }, (_, i) => `summary.m${i}.last`).join(',') }, 'metrics', /at most 10 metrics/],
    [{ by: 'group', filter: 'config.lr <' }, 'filter', /expected/],
  ];
  for (const [params, parameter, message] of cases) {
    const { status, body } = await get<ErrorBody>(`${P}/runs/groups`, params);
    t.equal(status, 400, JSON.stringify(params));
    t.equal(body.code, 'MLRUN_ERR_FILTER_SYNTAX', JSON.stringify(params));
    t.equal(body.details?.parameter, parameter, JSON.stringify(params));
    t.match(body.message, message, JSON.stringify(params));
  }
  const tenDistinct = Array.from({ length: 10 }, (_, i) => `summary.m${i}.last`);
  t.equal((await groups({ by: 'group', metrics: [...tenDistinct, 'summary.m0.last'].join(',') })).status, 200, 'a repeated entry counts once');
  const missing = await get<ErrorBody>(`${P}/runs/groups`, {});
  t.equal(missing.status, 400, 'by is required');
  t.equal(missing.body.code, 'MLRUN_ERR_VALIDATION');
});

t.test('projects: unknown 404, others never mixed in', async (t) => {
  const unknown = await get<ErrorBody>('nope/runs/groups', { by: 'group' });
  t.equal(unknown.status, 404);
  t.equal(unknown.body.code, 'MLRUN_ERR_NOT_FOUND');
  const other = await groups({ by: 'config.optimizer', metrics: 'summary.loss.last' }, 'other');
  t.same(other.body.groups, [
    { value: 'adam', count: 1, running: 1, metrics: { 'summary.loss.last': { mean: 7, min: 7, max: 7, count: 1 } } },
    { value: 'lion', count: 1, running: 0, metrics: { 'summary.loss.last': EMPTY } },
  ]);
});

t.test('runs/groups is this route; a run called "groups" is still editable', async (t) => {
  const patched = await app.inject({ method: 'PATCH', url: '/api/v1/projects/other/runs/groups', payload: { notes: 'still here' } });
  t.equal(patched.statusCode, 200);
  t.equal(patched.json<{ id: string; notes: string }>().notes, 'still here');
  const listed = await get<{ runs: { id: string }[] }>('other/runs', { filter: 'name = "groups"' });
  t.same(
    listed.body.runs.map((r) => r.id),
    ['groups'],
  );
});

t.test('the OpenAPI document describes the route and its answer', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters: { name: string }[]; responses: Record<string, unknown> }>> }>();
  const route = doc.paths['/api/v1/projects/{project}/runs/groups']?.get;
  t.ok(route?.responses['200'], 'a 200 response schema');
  t.same(route?.parameters.map((p) => p.name).sort(), ['by', 'filter', 'limit', 'metrics', 'project']);
});
