/**
 * The run list, on the ClickHouse read mirror (`runs`, 0011): one project's runs filtered and sorted by a
 * compiled filter/sort AST, one keyset page at a time, plus the total count. Metric summaries referenced by
 * the filter or sort are joined in from `metric_summaries` for just those keys, with the run's explicit
 * overrides (mlrun.summary) taking precedence.
 *
 * Keyset pagination: the page query also selects the value of every ORDER BY term; the caller's cursor
 * carries the last row's values and id, and the next page starts strictly after that position. Pages stay
 * stable while runs are added or change (no offsets), and missing values (NULLS LAST) are handled term by
 * term. Status and duration are computed at read time: a `running` run silent for longer than the crash
 * timeout reads as `crashed`.
 */
import type { ClickHouse } from '../clickhouse/client.js';
import type { QueryParamValue } from '../clickhouse/params.js';
import type { Filter, SortSpec } from '../filter/ast.js';
import type { SortTerm } from '../filter/compile.js';
import { compileFilter, compileSortTerms } from '../filter/compile.js';
import { clickHouseQueryParams } from '../filter/params.js';
import type { RunStatus, SummaryOverride } from './events.js';
import { DERIVED_COLUMNS, filterSummaryKeys, runListTarget, summaryJoin } from './list-target.js';

/** A keyset position: one value per ORDER BY term (as read back from ClickHouse), then the run id. */
export type CursorValue = string | number | boolean | null;

export interface RunListQuery {
  readonly project: string;
  readonly filter: Filter;
  /** Empty: newest first (`created desc`). The run id always breaks ties, ascending. */
  readonly sort: SortSpec;
  readonly limit: number;
  /** From the previous page's `next`; must come from the same filter and sort. */
  readonly after?: readonly CursorValue[];
  /** `running` runs silent for longer than this read as `crashed`. */
  readonly crashAfterMs: number;
  /** The read's clock (ms since the epoch); tests pin it. */
  readonly nowMs?: number;
  /** Count the matching runs in the same statement (first pages only; see RunListPage.total). */
  readonly withTotal?: boolean;
}

export interface RunListRow {
  readonly id: string;
  /** '' when the run has no name. */
  readonly name: string;
  readonly group: string | null;
  readonly status: RunStatus;
  readonly tags: readonly string[];
  readonly notes: string | null;
  /** The config as JSON text. */
  readonly config: string;
  readonly createdMs: number;
  readonly startedMs: number | null;
  readonly endedMs: number | null;
  readonly lastSeenMs: number | null;
  readonly durationMs: number | null;
  readonly exitCode: number | null;
  /** Explicit summary values (`mlrun.summary`); computed summaries are read separately. */
  readonly summaryOverrides: { readonly [key: string]: SummaryOverride };
}

export interface RunListPage {
  readonly runs: readonly RunListRow[];
  /** The cursor of the next page; null on the last page. */
  readonly next: readonly CursorValue[] | null;
  /**
   * How many runs match the filter, when asked for (`withTotal`) on a first page: counted by the page
   * statement itself (`count() OVER ()`, free next to the sort it already does). Null otherwise — a page
   * after a cursor sees only the rows past it, so callers use `countRuns` there.
   */
  readonly total: number | null;
}

/** FROM for a list query: the project's live mirror rows, joined with the summaries the query names. */
function source(keys: readonly string[]): string {
  const runs = `(SELECT *, ${DERIVED_COLUMNS} FROM runs FINAL WHERE project = {project:String} AND deleted = 0) AS r`;
  return keys.length > 0 ? `${runs}${summaryJoin(keys)}` : runs;
}

const KIND_TYPE = { number: 'Float64', string: 'String', boolean: 'Bool', timestamp: 'Int64' } as const;

/** The term as selected for the cursor: instants as Int64 ms, others as they are. */
function cursorExpr(term: SortTerm): string {
  return term.kind === 'timestamp' ? `toUnixTimestamp64Milli(${term.sql})` : term.sql;
}

/** `(t1 after c1) OR (t1 = c1 AND t2 after c2) OR … OR (all equal AND id > last id)`, NULLS LAST per term. */
function keyset(terms: readonly SortTerm[], after: readonly CursorValue[], params: Record<string, QueryParamValue>): string {
  if (after.length !== terms.length + 1) throw new RangeError(`cursor has ${after.length} values, the sort needs ${terms.length + 1}`);
  const equal: string[] = [];
  const branches: string[] = [];
  terms.forEach((term, i) => {
    const expr = cursorExpr(term);
    const value = after[i] ?? null;
    if (value === null) {
      // Past the non-NULL values already: only the NULL tail of this term remains, in id order.
      equal.push(`isNull(${expr})`);
      return;
    }
    const name = `k${i}`;
    params[name] = value;
    const placeholder = `{${name}:${KIND_TYPE[term.kind]}}`;
    const beyond = `${expr} ${term.descending ? '<' : '>'} ${placeholder}`;
    branches.push([...equal, term.nullable ? `(isNull(${expr}) OR ${beyond})` : beyond].join(' AND '));
    equal.push(`${expr} = ${placeholder}`);
  });
  const id = after[terms.length];
  if (typeof id !== 'string') throw new RangeError('cursor: the last value must be a run id');
  params.k_id = id;
  branches.push([...equal, 'r.id > {k_id:String}'].join(' AND '));
  return branches.map((b) => `(${b})`).join(' OR ');
}

const DEFAULT_SORT_TERMS: readonly SortTerm[] = [{ sql: 'r.created', descending: true, kind: 'timestamp', nullable: false }];

interface Compiled {
  readonly from: string;
  readonly where: string;
  readonly terms: readonly SortTerm[];
  readonly params: Record<string, QueryParamValue>;
  /** The read's clock parameters, for statements that compute status and duration again. */
  readonly clock: { readonly now_ms: number; readonly crash_before: number };
}

function compile(query: RunListQuery): Compiled {
  const now = query.nowMs ?? Date.now();
  const found = filterSummaryKeys(query.filter, new Set());
  for (const key of query.sort) if (key.field.kind === 'summary') found.add(key.field.key);
  const keys = [...found];
  const target = runListTarget(keys);
  const filter = compileFilter(query.filter, target, { now });
  const sort = compileSortTerms(query.sort, target, { now });
  const clock = { now_ms: now, crash_before: now - query.crashAfterMs };
  const params: Record<string, QueryParamValue> = {
    ...clickHouseQueryParams(filter),
    ...clickHouseQueryParams({ sql: '', params: sort.params }),
    ...Object.fromEntries(keys.map((key, i) => [`sk${i}`, key])),
    ...clock,
    project: query.project,
    summary_keys: keys,
  };
  return { from: source(keys), where: filter.sql, terms: sort.terms.length > 0 ? sort.terms : DEFAULT_SORT_TERMS, params, clock };
}

interface ListRecord {
  id: string;
  name: string;
  group: string;
  status_now: RunStatus;
  tags: string[];
  notes: string;
  config: string;
  created_ms: string;
  started_ms: string;
  ended_ms: string;
  last_seen_ms: string;
  duration_ms: string | null;
  exit_code: string;
  has_exit_code: boolean;
  summary_last: Record<string, number | string>;
  summary_min: Record<string, number | string>;
  summary_max: Record<string, number | string>;
}

const positive = (ms: string): number | null => (ms === '0' ? null : Number(ms));

function overrides(r: ListRecord): { [key: string]: SummaryOverride } {
  const out: { [key: string]: { last?: number; min?: number; max?: number } } = {};
  for (const stat of ['last', 'min', 'max'] as const) {
    for (const [key, value] of Object.entries(r[`summary_${stat}`])) (out[key] ??= {})[stat] = Number(value);
  }
  return out;
}

function toRow(r: ListRecord): RunListRow {
  return {
    id: r.id,
    name: r.name,
    group: r.group === '' ? null : r.group,
    status: r.status_now,
    tags: r.tags,
    notes: r.notes === '' ? null : r.notes,
    config: r.config,
    createdMs: Number(r.created_ms),
    startedMs: positive(r.started_ms),
    endedMs: r.status_now === 'running' ? null : positive(r.ended_ms),
    lastSeenMs: positive(r.last_seen_ms),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    exitCode: r.has_exit_code ? Number(r.exit_code) : null,
    summaryOverrides: overrides(r),
  };
}

interface KeyRecord {
  id: string;
  total_n?: string;
  [cursor: `k${number}`]: CursorValue;
}

const ROW_COLUMNS = `r.id AS id, r.name AS name, r.\`group\` AS \`group\`, r.status_now AS status_now, r.tags AS tags,
    r.notes AS notes, r.config AS config, toUnixTimestamp64Milli(r.created) AS created_ms, r.started_ms AS started_ms,
    r.ended_ms AS ended_ms, r.last_seen_ms AS last_seen_ms, r.duration_ms AS duration_ms, r.exit_code AS exit_code,
    r.has_exit_code AS has_exit_code, r.summary_last AS summary_last, r.summary_min AS summary_min,
    r.summary_max AS summary_max`;

/**
 * One page of a project's runs, filtered and sorted. Two statements: the page's ids and sort keys (only
 * the columns the filter and sort read travel through the join and the sort), then those rows in full by
 * id. Throws RangeError for a cursor of another shape.
 */
export async function listRuns(ch: ClickHouse, query: RunListQuery): Promise<RunListPage> {
  const c = compile(query);
  const params: Record<string, QueryParamValue> = { ...c.params, limit: query.limit + 1 };
  const where = query.after === undefined ? c.where : `(${c.where}) AND (${keyset(c.terms, query.after, params)})`;
  const order = [...c.terms.map((t) => `${t.sql} ${t.descending ? 'DESC' : 'ASC'}${t.nullable ? ' NULLS LAST' : ''}`), 'r.id ASC'].join(', ');
  const cursorColumns = c.terms.map((t, i) => `${cursorExpr(t)} AS k${i}`).join(', ');
  const counted = query.withTotal === true && query.after === undefined;
  const keys = await ch.query<KeyRecord>({
    sql: `SELECT r.id AS id, ${counted ? 'count() OVER () AS total_n, ' : ''}${cursorColumns} FROM ${c.from} WHERE ${where} ORDER BY ${order} LIMIT {limit:UInt32}`,
    params,
    tag: 'runs.list',
  });
  const page = keys.slice(0, query.limit);
  const rows =
    page.length === 0
      ? []
      : await ch.query<ListRecord>({
          sql: `SELECT ${ROW_COLUMNS} FROM (SELECT *, ${DERIVED_COLUMNS} FROM runs FINAL WHERE project = {project:String} AND id IN {ids:Array(String)} AND deleted = 0) AS r`,
          params: { ...c.clock, project: query.project, ids: page.map((k) => k.id) },
          tag: 'runs.list_rows',
        });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const last = page[page.length - 1];
  const next = keys.length > query.limit && last ? [...c.terms.map((_t, i) => last[`k${i}`] ?? null), last.id] : null;
  const total = counted ? Number(keys[0]?.total_n ?? 0) : null;
  // A run deleted between the two statements is simply left out of this page.
  return { runs: page.flatMap((k) => byId.get(k.id) ?? []).map(toRow), next, total };
}

/** How many of the project's runs match the filter. */
export async function countRuns(ch: ClickHouse, query: Pick<RunListQuery, 'project' | 'filter' | 'crashAfterMs' | 'nowMs'>): Promise<number> {
  const c = compile({ ...query, sort: [], limit: 0 });
  const [row] = await ch.query<{ n: string }>({ sql: `SELECT count() AS n FROM ${c.from} WHERE ${c.where}`, params: c.params, tag: 'runs.count' });
  return Number(row?.n ?? 0);
}
