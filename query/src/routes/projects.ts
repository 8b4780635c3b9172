/** Projects with their run and trace counts, and a project's key catalogue (config paths and metric keys). */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { ProjectSummary, TraceProject } from '@mlrun/storage';
import { listProjects, projectExists, readMetricKeys, readTraceProjects } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { NotFound } from '../errors.js';
import { formatPath } from '../runs/columns.js';
import { ConfigKeysCache } from '../runs/config-keys-cache.js';
import { crashAfterMs } from '../runs/crash.js';
import { ProjectParams } from '../schemas/run.js';

const NANOS_PER_MS = 1_000_000n;

const ProjectSchema = Type.Object({
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  runCount: Type.Integer(),
  runningCount: Type.Integer({ description: 'runs that are running (seen within the crash timeout)' }),
  lastActivityAt: Type.String({ format: 'date-time', description: 'the latest of run activity and span ends' }),
  traceCount: Type.Integer({ description: 'traces stored, approximate for large projects (projects that only sent traces are listed too, with runCount 0)' }),
});

const KeysResponse = Type.Object({
  config: Type.Array(
    Type.Object({
      key: Type.String({ description: 'as the filter language spells it: config.<key>' }),
      path: Type.Array(Type.String()),
      types: Type.Array(Type.String(), { description: 'JSON types seen: number, string, boolean, array, null, object' }),
      runs: Type.Integer({ description: 'runs that have the key' }),
    }),
  ),
  metrics: Type.Array(
    Type.Object({
      key: Type.String({ description: 'as the filter language spells it: summary.<key>.<stat>' }),
      labels: Type.String({ description: 'k=v,… of OTel metric points; empty for mlrun.metrics' }),
      count: Type.Integer({ description: 'points logged in the project' }),
      firstTime: Type.String({ format: 'date-time' }),
      lastTime: Type.String({ format: 'date-time' }),
    }),
  ),
});

const iso = (ms: string): string => new Date(Date.parse(ms)).toISOString();
const isoNs = (ns: bigint): string => new Date(Number(ns / NANOS_PER_MS)).toISOString();

/** Registry projects and projects with spans, merged by name; most recently active first. */
function mergeProjects(registered: readonly ProjectSummary[], traced: readonly TraceProject[]) {
  const traces = new Map(traced.map((p) => [p.project, p]));
  const out = registered.map((p) => {
    const t = traces.get(p.name);
    const last = iso(p.lastActivityAt);
    const traceLast = t === undefined ? last : isoNs(t.lastNs);
    return { ...p, createdAt: iso(p.createdAt), lastActivityAt: traceLast > last ? traceLast : last, traceCount: t?.traceCount ?? 0 };
  });
  const names = new Set(registered.map((p) => p.name));
  for (const t of traced) {
    if (names.has(t.project)) continue;
    out.push({ name: t.project, createdAt: isoNs(t.firstNs), runCount: 0, runningCount: 0, lastActivityAt: isoNs(t.lastNs), traceCount: t.traceCount });
  }
  return out.sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.name.localeCompare(b.name));
}

export const projectRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  const configKeys = new ConfigKeysCache(deps.clickhouse);
  app.get(
    '/projects',
    { schema: { summary: 'Projects with run and trace counts and last activity', tags: ['projects'], response: { 200: Type.Object({ projects: Type.Array(ProjectSchema) }) } } },
    async () => {
      const [registered, traced] = await Promise.all([listProjects(deps.postgres, Date.now(), crashAfterMs(deps)), readTraceProjects(deps.clickhouse)]);
      return { projects: mergeProjects(registered, traced) };
    },
  );

  app.get(
    '/projects/:project/keys',
    { schema: { summary: 'Every config key and metric key of a project (column pickers, autocomplete)', tags: ['projects'], params: ProjectParams, response: { 200: KeysResponse } } },
    async (request) => {
      const { project } = request.params;
      if (!(await projectExists(deps.postgres, project))) throw new NotFound(`no project ${JSON.stringify(project)}`);
      const [config, metrics] = await Promise.all([configKeys.get(project), readMetricKeys(deps.clickhouse, { project })]);
      return {
        config: config.map((k) => ({ key: formatPath(k.path), path: [...k.path], types: [...k.types], runs: k.runs })),
        metrics: metrics.map((m) => ({
          key: m.key,
          labels: m.labels,
          count: Number(m.count),
          firstTime: new Date(Number(m.firstTime / NANOS_PER_MS)).toISOString(),
          lastTime: new Date(Number(m.lastTime / NANOS_PER_MS)).toISOString(),
        })),
      };
    },
  );
  done();
};
