/**
 * GET /api/v1/projects/{project}/runs/groups — the runs matching a filter, grouped by their `group` or by
 * one config path, with per group the run count, how many are running, and mean/min/max/count of chosen
 * metric summaries: the group rows of the dashboard's runs table. `by` and `metrics` are read with the
 * filter language's field grammar, so `config."a.b".c` and `summary.val/loss.last` mean what they mean in
 * `filter` and `sort`.
 *
 * Routing: `runs/groups` is a static segment, which fastify's router prefers to `runs/:runId`, so GET of a
 * run whose id is literally "groups" reaches this route, not the run. Such a run is still listed by the
 * run list (`filter=name = "groups"` finds an unnamed run by its id) and PATCH/DELETE still reach it
 * (this route is GET only).
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Filter, GroupAggregate, GroupBy, GroupMetric } from '@mlrun/storage';
import { compileFilter, FilterCompileError, MAX_GROUP_METRICS, MAX_GROUPS, projectExists, readRunGroups, RUN_LIST_TARGET } from '@mlrun/storage';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { QueryDeps } from '../app.js';
import { filterSyntax, NotFound } from '../errors.js';
import type { Cursor } from '../filter/cursor.js';
import { advance, atEnd, expectPunct, fail } from '../filter/cursor.js';
import type { ParseResult } from '../filter/errors.js';
import { fieldOf, keywordOf } from '../filter/fields.js';
import { guarded, parseFilter } from '../filter/parser.js';
import { crashAfterMs } from '../runs/crash.js';
import { metricNumber, MetricNumber } from '../schemas/numbers.js';
import { ProjectParams } from '../schemas/run.js';

const GroupsQuery = Type.Object(
  {
    by: Type.String({ maxLength: 4096, description: '`group` or `config.<path>` (a config path as the filter language spells it)' }),
    filter: Type.String({ default: '', maxLength: 4096, description: 'the filter language (docs/filter-language.md); groups count matching runs only' }),
    metrics: Type.String({ default: '', maxLength: 4096, description: `up to ${MAX_GROUP_METRICS} comma-separated summary.<key>.<stat>, aggregated per group` }),
    limit: Type.Integer({ minimum: 1, maximum: MAX_GROUPS, default: 100, description: 'most groups returned; more set truncated' }),
  },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Aggregate = Type.Object({
  mean: Nullable(MetricNumber),
  min: Nullable(MetricNumber),
  max: Nullable(MetricNumber),
  count: Type.Integer({ description: 'runs of the group with a value (NaN and missing do not count); mean/min/max are null at 0' }),
});

const GroupsResponse = Type.Object({
  by: Type.String({ description: 'the `by` parameter as written' }),
  groups: Type.Array(
    Type.Object({
      value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], {
        description: 'the config value as typed in the config, or the group name; null: none (missing, JSON null, an array or object)',
      }),
      count: Type.Integer(),
      running: Type.Integer({ description: 'runs whose read-time status is running (the crash timeout applies)' }),
      metrics: Type.Record(Type.String(), Aggregate, { description: 'keyed by each `metrics` entry as written' }),
    }),
    { description: 'by count descending, then value: numbers, strings, booleans, null' },
  ),
  truncated: Type.Boolean({ description: 'more groups than limit' }),
});

type NamedMetric = GroupMetric & { readonly name: string };

const BY_EXPECTED = 'group or config.<path>';

function by(c: Cursor): { by: GroupBy; name: string } {
  const t = c.tok;
  if (t.kind !== 'path' || keywordOf(t) !== null) return fail(c, BY_EXPECTED);
  const root = t.segments[0]?.text;
  if (!(root === 'group' && t.segments.length === 1) && root !== 'config') return fail(c, BY_EXPECTED);
  const field = fieldOf(t);
  advance(c);
  if (!atEnd(c)) fail(c, 'end of input', { hint: 'group by one field' });
  return { by: field.kind === 'config' ? { kind: 'config', path: field.path } : { kind: 'group' }, name: t.text };
}

function metrics(c: Cursor): NamedMetric[] {
  const out: NamedMetric[] = [];
  if (atEnd(c)) return out;
  for (;;) {
    const t = c.tok;
    if (t.kind !== 'path' || t.segments[0]?.text !== 'summary') return fail(c, 'a metric statistic (summary.<key>.<stat>)');
    const field = fieldOf(t);
    if (field.kind !== 'summary') return fail(c, 'a metric statistic (summary.<key>.<stat>)');
    if (!out.some((m) => m.name === t.text)) {
      if (out.length === MAX_GROUP_METRICS) fail(c, `at most ${MAX_GROUP_METRICS} metrics`);
      out.push({ key: field.key, stat: field.stat, name: t.text });
    }
    advance(c);
    if (atEnd(c)) return out;
    expectPunct(c, ',', "',' or end of input");
  }
}

function orThrow<K extends string, T>(parameter: string, result: ParseResult<K, T>, key: K): T {
  if (!result.ok) throw filterSyntax({ parameter, position: result.error.position, expected: result.error.expected }, result.error.message);
  return result[key];
}

/** The filter exactly as the run list takes it (runs.ts): parsed, then checked to compile. */
function parseGroupFilter(text: string): Filter {
  const filter = orThrow('filter', parseFilter(text), 'ast');
  try {
    compileFilter(filter, RUN_LIST_TARGET);
  } catch (error) {
    if (!(error instanceof FilterCompileError)) throw error;
    throw filterSyntax({ parameter: 'filter', position: error.position }, error.message);
  }
  return filter;
}

function aggregateView(a: GroupAggregate | undefined): Static<typeof Aggregate> {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? null : metricNumber(v));
  return { mean: n(a?.mean), min: n(a?.min), max: n(a?.max), count: a?.count ?? 0 };
}

async function groupsPage(deps: QueryDeps, project: string, q: Static<typeof GroupsQuery>): Promise<Static<typeof GroupsResponse>> {
  const grouping = orThrow('by', guarded('by', q.by, by), 'by');
  const filter = parseGroupFilter(q.filter);
  const wanted = orThrow('metrics', guarded('metrics', q.metrics, metrics), 'metrics');
  if (!(await projectExists(deps.postgres, project))) throw new NotFound(`no project ${JSON.stringify(project)}`);
  const result = await readRunGroups(deps.clickhouse, { project, filter, by: grouping.by, metrics: wanted, limit: q.limit, crashAfterMs: crashAfterMs(deps), nowMs: Date.now() });
  return {
    by: grouping.name,
    groups: result.groups.map((g) => ({
      value: g.value,
      count: g.count,
      running: g.running,
      metrics: Object.fromEntries(wanted.map((m, i) => [m.name, aggregateView(g.metrics[i])])),
    })),
    truncated: result.truncated,
  };
}

export const runGroupRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/runs/groups',
    {
      schema: {
        summary: 'Runs grouped by their group or a config value, with counts and metric aggregates',
        tags: ['runs'],
        params: ProjectParams,
        querystring: GroupsQuery,
        response: { 200: GroupsResponse },
      },
    },
    (request) => groupsPage(deps, request.params.project, request.query),
  );
  done();
};
