/**
 * GET /api/v1/projects/{project}/runs/{runId}/logs — a run's console lines and events, a page at a time,
 * oldest first (a console) or newest first (a tail). `mlrun.metrics` records are metrics, not lines: they
 * are charted from /metrics and /series and never listed here. Pages follow an opaque keyset cursor, so
 * lines arriving while a client pages do not shift or repeat what it reads. Until the run registry is
 * wired in, a run without logs reads as an empty page.
 */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { LogCursor, LogOrder, RunLogRecord } from '@mlrun/storage';
import { DEFAULT_LOG_LIMIT, MAX_LOG_LIMIT, readRunLogs, runExists } from '@mlrun/storage';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';
import { BadRequest, NotFound } from '../errors.js';

const NANOS_PER_MS = 1_000_000n;
const U64_MAX = 2n ** 64n - 1n;
const I64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const MAX_CURSOR_LENGTH = 200;
/** More identical copies of one line in one clock tick than any page walk can have passed. */
const MAX_SKIP = 1_000_000_000;

/** OTel's severity ranges start at these numbers (TRACE 1–4, DEBUG 5–8, …, FATAL 21–24). */
const SEVERITY_NAMES = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;
type SeverityName = keyof typeof SEVERITY_NAMES;
const severityNames = Object.keys(SEVERITY_NAMES) as SeverityName[];

const Querystring = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: MAX_LOG_LIMIT, default: DEFAULT_LOG_LIMIT, description: 'records per page' }),
    cursor: Type.Optional(Type.String({ description: 'nextCursor of the previous page (same order and filters)' })),
    order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc', description: 'asc: oldest first, like a console; desc: newest first, a tail' }),
    kind: Type.Union([Type.Literal('console'), Type.Literal('events'), Type.Literal('all')], {
      default: 'all',
      description: 'console: records without an event name; events: records with one (mlrun.run.start, …); all: both. mlrun.metrics records are never listed.',
    }),
    minSeverity: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 24 }), ...[...severityNames, ...severityNames.map((n) => n.toUpperCase())].map((n) => Type.Literal(n))], {
        description: 'an OTel severity number (1–24) or name (trace, debug, info, warn, error, fatal: the lowest number of its range); records without a severity are then left out',
      }),
    ),
    search: Type.Optional(Type.String({ maxLength: 1000, description: 'case-insensitive substring of the body or event name (no wildcards)' })),
  },
  { additionalProperties: false },
);

const LogRecord = Type.Object({
  time: Type.String({ format: 'date-time', description: 'millisecond precision; 1970-01-01T00:00:00.000Z when the sender set no time' }),
  timeUnixNano: Type.String({ description: 'the exact time, Unix nanoseconds as a decimal string' }),
  observedTime: Type.String({ format: 'date-time' }),
  observedTimeUnixNano: Type.String(),
  severityNumber: Type.Integer({ description: '0 when unspecified' }),
  severityText: Type.String(),
  eventName: Type.String({ description: "'' for a console line" }),
  body: Type.Unknown({ description: 'a string body as text, a structured body as JSON (ints past 2^53 and NaN/±Infinity as strings), null when empty' }),
  attributes: Type.Record(Type.String(), Type.Unknown(), { description: 'attributes with their types; same number conventions as body' }),
  traceId: Type.String({ description: "lowercase hex, '' when absent" }),
  spanId: Type.String(),
});

const RunLogs = Type.Object({
  run: Type.String(),
  logs: Type.Array(LogRecord),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null when this page reached the end' }),
});

/** Unix nanoseconds → ISO 8601 at millisecond precision, flooring (so times before 1970 stay right). */
function isoOf(nanos: bigint): string {
  const ms = nanos / NANOS_PER_MS - (nanos % NANOS_PER_MS < 0n ? 1n : 0n);
  return new Date(Number(ms)).toISOString();
}

/** The cursor as opaque base64url text of `order:time:observed:hash:skip`. */
function encodeLogCursor(order: LogOrder, cursor: LogCursor): string {
  const text = `${order === 'asc' ? 'a' : 'd'}:${cursor.time}:${cursor.observedTime}:${cursor.hash}:${cursor.skip}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

const CURSOR_TEXT = /^([ad]):(-?\d{1,19}):(-?\d{1,19}):(\d{1,20}):(\d{1,10})$/;

/** The cursor a client sent back, checked field by field; a 400 naming `cursor` otherwise. */
function decodeLogCursor(value: string, order: LogOrder): LogCursor {
  const bad = (why: string) => new BadRequest(`query parameter cursor: ${why}`);
  if (value.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad('not a cursor returned by this endpoint');
  const match = CURSOR_TEXT.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (match === null) throw bad('not a cursor returned by this endpoint');
  const [, dir, t, o, h, n] = match as unknown as [string, string, string, string, string, string];
  const [time, observedTime, hash, skip] = [BigInt(t), BigInt(o), BigInt(h), Number(n)];
  const inI64 = (x: bigint) => x >= I64.min && x <= I64.max;
  if (!inI64(time) || !inI64(observedTime) || hash > U64_MAX || skip > MAX_SKIP) throw bad('not a cursor returned by this endpoint');
  const issued: LogOrder = dir === 'a' ? 'asc' : 'desc';
  if (issued !== order) throw bad(`issued for order=${issued}, not order=${order}: page on with the same order, or start over without a cursor`);
  return { time, observedTime, hash, skip };
}

function toJson(r: RunLogRecord) {
  return {
    time: isoOf(r.time),
    timeUnixNano: r.time.toString(),
    observedTime: isoOf(r.observedTime),
    observedTimeUnixNano: r.observedTime.toString(),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    eventName: r.eventName,
    body: r.body,
    attributes: r.attributes,
    traceId: r.traceId,
    spanId: r.spanId,
  };
}

const severityOf = (value: number | string | undefined): number | undefined =>
  typeof value === 'string' ? SEVERITY_NAMES[value.toLowerCase() as SeverityName] : value;

export const runLogsRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/projects/:project/runs/:runId/logs',
    {
      schema: {
        summary: "A run's console lines and events, paginated",
        description: 'Keyset pages in (time, observed time, content) order. Follow nextCursor with the same order and filters.',
        tags: ['logs'],
        params: Type.Object({ project: Type.String({ minLength: 1 }), runId: Type.String({ minLength: 1 }) }),
        querystring: Querystring,
        response: { 200: RunLogs },
      },
    },
    async (request) => {
      const { project, runId } = request.params;
      const q = request.query;
      const after = q.cursor === undefined ? undefined : decodeLogCursor(q.cursor, q.order);
      if (!(await runExists(deps.postgres, project, runId))) throw new NotFound(`no run ${JSON.stringify(runId)} in project ${JSON.stringify(project)}`);
      const page = await readRunLogs(deps.clickhouse, {
        project,
        runId,
        limit: q.limit,
        after,
        order: q.order,
        kind: q.kind,
        minSeverity: severityOf(q.minSeverity),
        search: q.search,
      });
      return { run: runId, logs: page.records.map(toJson), nextCursor: page.next === null ? null : encodeLogCursor(q.order, page.next) };
    },
  );
  done();
};
