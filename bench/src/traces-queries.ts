/**
 * The traces benchmark's queries, timed over real HTTP (fetch with keep-alive against a listening
 * server: routing, validation, the project check, ClickHouse, normalising nodes, JSON). Each query checks
 * its answer (status 200 and the rows it must return), so a fast wrong answer cannot pass.
 */
import type { Summary } from './stats.js';
import { summarize } from './stats.js';

export interface TraceQuery {
  readonly name: string;
  /**
   * Path and query after /api/v1/projects/<project>; a function of the request number for queries that
   * must not repeat (ClickHouse's query condition cache remembers granules a filter skipped).
   */
  readonly path: string | ((i: number) => string);
  /** p95 target in ms, when the issue sets one. */
  readonly targetMs?: number;
  /** Rows the answer holds (nodes, children, traces…), for the table and the check. */
  readonly rows: (body: unknown) => number;
  /** Rows it must hold; undefined: any. */
  readonly expectRows?: number;
}

export interface QueryTiming {
  readonly query: TraceQuery;
  readonly ms: Summary;
  readonly rows: number;
}

interface NodeJson {
  children: NodeJson[] | null;
}

/** Nodes in a tree page (every level loaded). */
export function treeNodes(body: unknown): number {
  const count = (nodes: NodeJson[] | null): number => (nodes ?? []).reduce((n, node) => n + 1 + count(node.children), 0);
  return count((body as { roots: NodeJson[] }).roots);
}

export const listed = (key: 'traces' | 'children' | 'sessions') => (body: unknown): number => ((body as Record<string, unknown[]>)[key] ?? []).length;

async function once(url: string): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const response = await fetch(url);
  const body: unknown = await response.json();
  const ms = performance.now() - t0;
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

export async function measure(base: string, project: string, q: TraceQuery, warmup: number, iterations: number): Promise<QueryTiming> {
  const url = (i: number) => `${base}/api/v1/projects/${encodeURIComponent(project)}${typeof q.path === 'string' ? q.path : q.path(i)}`;
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const answer = await once(url(i));
    rows = q.rows(answer.body);
    if (q.expectRows !== undefined && rows !== q.expectRows) throw new Error(`${q.name}: ${rows} rows, expected ${q.expectRows}`);
    if (i >= warmup) times.push(answer.ms);
  }
  return { query: q, ms: summarize(times), rows };
}

/** The first page's nextCursor of a list, for second-page queries. */
export async function firstCursor(base: string, project: string, path: string): Promise<string> {
  const { body } = await once(`${base}/api/v1/projects/${encodeURIComponent(project)}${path}`);
  const cursor = (body as { nextCursor: string | null }).nextCursor;
  if (cursor === null) throw new Error(`${path}: no second page`);
  return cursor;
}
