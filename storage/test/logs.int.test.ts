/**
 * readRunLogs against real chDB: order with ties and identical copies, keyset pages in both orders (every
 * row exactly once, also with rows arriving between reads), filters, search needles with LIKE
 * metacharacters, and bodies/attributes decoded to JSON values with their types.
 */
import t from 'tap';
import type { BodyType, ClickHouse, LogCursor, LogRow, RunLogRecord, RunLogsRequest } from '../src/index.js';
import { migrate, readRunLogs } from '../src/index.js';
import { openTempClickHouse } from './fixtures/db.js';
import { attrs, EMPTY_ATTRS, owner, RESOURCE, RICH_ATTRS, SCOPE, T0, UNICODE } from './fixtures/rows.js';

const { ch } = await openTempClickHouse(t);
await migrate(ch);

const PROJECT = owner('x').project;

interface Line {
  readonly dt?: bigint;
  readonly dobs?: bigint;
  readonly body?: string;
  readonly bodyType?: BodyType;
  readonly sev?: number;
  readonly event?: string;
  readonly attributes?: LogRow['attributes'];
}

function line(runId: string, l: Line): LogRow {
  const time = T0 + (l.dt ?? 0n);
  return {
    owner: owner(runId),
    resource: RESOURCE,
    scope: SCOPE,
    time,
    observedTime: time + (l.dobs ?? 0n),
    traceId: '',
    spanId: '',
    flags: 0,
    severityNumber: l.sev ?? 9,
    severityText: l.sev === undefined ? 'INFO' : `S${l.sev}`,
    eventName: l.event ?? '',
    bodyType: l.bodyType ?? 1,
    body: l.body ?? '',
    attributes: l.attributes ?? EMPTY_ATTRS,
    droppedAttributesCount: 0,
  };
}

/** Every page until the end; throws if a traversal does not end (a cursor that does not advance). */
async function readAll(ch: ClickHouse, request: RunLogsRequest): Promise<{ records: RunLogRecord[]; pages: number }> {
  const records: RunLogRecord[] = [];
  let after = request.after;
  for (let pages = 1; pages <= 500; pages++) {
    const page = await readRunLogs(ch, { ...request, after });
    t.ok(page.records.length <= (request.limit ?? 200), 'a page holds at most limit records');
    records.push(...page.records);
    if (page.next === null) return { records, pages };
    after = page.next;
  }
  throw new Error('pagination did not end');
}

const bodies = (records: readonly RunLogRecord[]) => records.map((r) => r.body);
const sortKey = (r: RunLogRecord) => [r.time, r.observedTime] as const;

// One run with ties of every kind: equal timestamps with different observed times, equal timestamps and
// observed times with different content, three byte-identical copies, and a metrics event.
const TIES: Line[] = [
  { dt: 30n, body: 'c0' },
  { dt: 10n, body: 'b0' },
  { dt: 10n, body: 'b1' },
  { dt: 10n, body: 'b2', dobs: 5n },
  { dt: 10n, body: 'b3', dobs: 5n },
  { dt: 10n, body: 'same' },
  { dt: 10n, body: 'same' },
  { dt: 10n, body: 'same' },
  { dt: 10n, body: 'b4', sev: 17 },
  { dt: 0n, body: 'a0' },
  { dt: 20n, event: 'mlrun.metrics', bodyType: 0, attributes: attrs([['mlrun.step', 1n], ['loss', 0.5]]) },
  { dt: 20n, event: 'mlrun.run.start', bodyType: 6, body: '{"kvlistValue":{"values":[{"key":"lr","value":{"doubleValue":0.001}}]}}' },
  { dt: 40n, body: 'd0' },
  { dt: 41n, event: 'mlrun.heartbeat', bodyType: 0 },
];
await ch.insert('logs', TIES.map((l) => line('ties', l)));
// Same keys in another run and another project: never part of run `ties`.
await ch.insert('logs', [line('ties-2', { body: 'other run' }), { ...line('ties', { body: 'other project' }), owner: { ...owner('ties'), project: 'elsewhere' } }]);

const ties: RunLogsRequest = { project: PROJECT, runId: 'ties' };

t.test('one page, oldest first: every row but the metrics event, ties in a stable order', async (t) => {
  const page = await readRunLogs(ch, ties);
  t.equal(page.next, null, 'the whole run fits: no next cursor');
  t.equal(page.records.length, TIES.length - 2, 'the mlrun.metrics event and the heartbeat are not log lines');
  t.notOk(page.records.some((r) => r.eventName === 'mlrun.metrics' || r.eventName === 'mlrun.heartbeat'));
  t.same(bodies(page.records).filter((b) => b === 'same'), ['same', 'same', 'same'], 'identical copies are all there');
  for (let i = 1; i < page.records.length; i++) {
    const [a, b] = [sortKey(page.records[i - 1] as RunLogRecord), sortKey(page.records[i] as RunLogRecord)];
    t.ok(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `record ${i} is not before record ${i - 1}`);
  }
  t.same(bodies(page.records).slice(0, 1), ['a0']);
  t.same(bodies(page.records).slice(-2), ['c0', 'd0']);
  const again = await readRunLogs(ch, ties);
  t.same(again.records, page.records, 'the same order on every read');
});

t.test('newest first is exactly the reverse', async (t) => {
  const asc = await readRunLogs(ch, ties);
  const desc = await readRunLogs(ch, { ...ties, order: 'desc' });
  t.same(desc.records, [...asc.records].reverse());
});

t.test('pages of every size return every row exactly once, in both orders', async (t) => {
  for (const order of ['asc', 'desc'] as const) {
    const whole = await readRunLogs(ch, { ...ties, order });
    for (const limit of [1, 2, 3, 4, 5, 7, 11, 12]) {
      const { records, pages } = await readAll(ch, { ...ties, order, limit });
      t.same(records, whole.records, `${order}, limit ${limit}`);
      t.equal(pages, Math.max(1, Math.ceil(whole.records.length / limit)), `${order}, limit ${limit}: no empty last page`);
    }
  }
});

t.test('a cursor into a run of identical copies counts the copies already returned', async (t) => {
  const pages: RunLogRecord[][] = [];
  let after: LogCursor | undefined;
  do {
    const page = await readRunLogs(ch, { ...ties, limit: 1, after });
    pages.push(page.records);
    after = page.next ?? undefined;
    if (page.records[0]?.body === 'same') t.ok((after?.skip ?? 0) >= 1, 'the cursor after a copy carries a skip count');
  } while (after !== undefined);
  t.equal(pages.flat().filter((r) => r.body === 'same').length, 3);
});

t.test('rows arriving between page reads: those after the cursor are returned once, identical copies too', async (t) => {
  const run = 'live';
  const rows = (ls: Line[]) => ch.insert('logs', ls.map((l) => line(run, l)));
  await rows([{ dt: 1n, body: 'A' }, { dt: 2n, body: 'B' }, { dt: 2n, body: 'B' }, { dt: 3n, body: 'C' }]);
  const request: RunLogsRequest = { project: PROJECT, runId: run, limit: 2 };
  const first = await readRunLogs(ch, request);
  t.same(bodies(first.records), ['A', 'B']);
  t.equal(first.next?.skip, 1, 'one of the two Bs was returned');
  // A third identical B (at the cursor's key), a later line, and a late line before the cursor.
  await rows([{ dt: 2n, body: 'B' }, { dt: 4n, body: 'D' }, { dt: 0n, body: 'late' }]);
  const rest = await readAll(ch, { ...request, after: first.next ?? undefined });
  t.same(bodies(rest.records), ['B', 'B', 'C', 'D'], 'both remaining Bs, then the new line; the late line is before the cursor');

  const desc: RunLogsRequest = { ...request, order: 'desc', runId: 'live-desc' };
  await ch.insert('logs', [1n, 2n, 2n, 3n].map((dt, i) => line('live-desc', { dt, body: ['A', 'B', 'B', 'C'][i] ?? '' })));
  const top = await readRunLogs(ch, desc);
  t.same(bodies(top.records), ['C', 'B']);
  await ch.insert('logs', [line('live-desc', { dt: 2n, body: 'B' }), line('live-desc', { dt: 0n, body: 'older' }), line('live-desc', { dt: 9n, body: 'newer' })]);
  const tail = await readAll(ch, { ...desc, after: top.next ?? undefined });
  t.same(bodies(tail.records), ['B', 'B', 'A', 'older'], 'the newer line is above the cursor: a tail re-reads from the top for it');
});

t.test('filters: kind, event names, minimum severity', async (t) => {
  const lines = await readRunLogs(ch, { ...ties, kind: 'console' });
  t.ok(lines.records.length > 0 && lines.records.every((r) => r.eventName === ''), 'console: lines without an event name');
  const events = await readRunLogs(ch, { ...ties, kind: 'events' });
  t.same(events.records.map((r) => r.eventName), ['mlrun.run.start'], 'events: named records except metrics');
  t.same((await readRunLogs(ch, { ...ties, eventNames: ['mlrun.run.start', 'nope'] })).records.map((r) => r.eventName), ['mlrun.run.start']);
  t.same((await readRunLogs(ch, { ...ties, eventNames: ['mlrun.metrics'] })).records, [], 'metrics events stay out even when named');
  t.same((await readRunLogs(ch, { ...ties, eventNames: [] })).records, [], 'no event names: nothing');
  t.same(bodies((await readRunLogs(ch, { ...ties, minSeverity: 17 })).records), ['b4']);
  const filtered = await readRunLogs(ch, { ...ties, kind: 'console', minSeverity: 9 });
  t.same((await readAll(ch, { ...ties, kind: 'console', minSeverity: 9, limit: 2, order: 'desc' })).records, [...filtered.records].reverse(), 'filtered pages');
});

t.test('search: a case-insensitive substring; % and _ are plain characters', async (t) => {
  const run = 'search';
  const texts = ['progress 50% done', 'progress 50 done', 'a_b', 'axb', 'École normale', 'back\\slash'];
  const rows = texts.map((body, i) => line(run, { dt: BigInt(i), body }));
  await ch.insert('logs', [...rows, line(run, { dt: 99n, event: 'gen_ai.evaluation.result', bodyType: 0 })]);
  const search = async (needle: string) => bodies((await readRunLogs(ch, { project: PROJECT, runId: run, search: needle })).records);
  t.same(await search('50%'), ['progress 50% done']);
  t.same(await search('%'), ['progress 50% done']);
  t.same(await search('A_B'), ['a_b']);
  t.same(await search('_'), ['a_b', null], "'_' is in the body a_b and the event name gen_ai.evaluation.result");
  t.same(await search('écOLE'), ['École normale'], 'non-ASCII case folding');
  t.same(await search('\\s'), ['back\\slash']);
  t.same(await search('EVALUATION'), [null], 'the event name is searched too');
  t.same(await search('nothing like it'), []);
  t.equal((await search('')).length, texts.length + 1, 'an empty needle filters nothing');
  t.same(bodies((await readAll(ch, { project: PROJECT, runId: run, search: 'progress', limit: 1 })).records), ['progress 50% done', 'progress 50 done']);
});

t.test('bodies and attributes come back as JSON values with their types', async (t) => {
  const run = 'types';
  const bodyRows: Line[] = [
    { dt: 1n, bodyType: 0 },
    { dt: 2n, bodyType: 1, body: `line\n\n${UNICODE}` },
    { dt: 3n, bodyType: 6, body: '{"kvlistValue":{"values":[{"key":"lr","value":{"doubleValue":0.001}},{"key":"__proto__","value":{"intValue":"1"}},{"key":"nested","value":{"kvlistValue":{"values":[{"key":"layers","value":{"arrayValue":{"values":[{"intValue":"50"},{"boolValue":true}]}}}]}}}]}}' },
    { dt: 4n, bodyType: 5, body: '{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":"NaN"},{"doubleValue":"-Infinity"},{}]}}' },
    { dt: 5n, bodyType: 3, body: '{"intValue":"9007199254740993"}' },
    { dt: 6n, bodyType: 3, body: '{"intValue":"-42"}' },
    { dt: 7n, bodyType: 4, body: '{"doubleValue":2.5}' },
    { dt: 8n, bodyType: 2, body: '{"boolValue":false}' },
    { dt: 9n, bodyType: 7, body: '{"bytesValue":"AAEC/w=="}' },
    { dt: 10n, body: 'attrs', attributes: RICH_ATTRS },
  ];
  await ch.insert('logs', bodyRows.map((l) => line(run, l)));
  const { records } = await readRunLogs(ch, { project: PROJECT, runId: run });
  const kv = records[2]?.body as Record<string, unknown>;
  t.same(bodies(records).slice(0, 2), [null, `line\n\n${UNICODE}`]);
  t.same(Object.keys(kv), ['lr', '__proto__', 'nested'], 'a KvList body is an object, keys in order');
  t.same([kv.lr, kv.nested], [0.001, { layers: [50, true] }]);
  t.ok(Object.getPrototypeOf(kv) === Object.prototype && Object.getOwnPropertyDescriptor(kv, '__proto__')?.value === 1, 'a "__proto__" key is data, not a prototype');
  t.same(bodies(records).slice(3, 9), [['a', 'NaN', '-Infinity', null], '9007199254740993', -42, 2.5, false, 'AAEC/w==']);
  t.same(records[9]?.attributes, {
    'gen_ai.usage.input_tokens': 1234,
    'gen_ai.request.model': 'gpt-4o',
    dup: 42,
    'i.min': '-9223372036854775808',
    'i.max': '9223372036854775807',
    'f.nan': 'NaN',
    'f.inf': 'Infinity',
    'f.ninf': '-Infinity',
    'f.tiny': 5e-324,
    'f.third': 1 / 3,
    'b.true': true,
    'b.false': false,
    's.empty': '',
    's.unicode': UNICODE,
    's.nn': 'a\n\nb\r\n\n',
    'j.array': [1],
    ключ: 'значение',
  });
  t.match(records[9], { time: T0 + 10n, observedTime: T0 + 10n, severityNumber: 9, severityText: 'INFO', eventName: '', traceId: '', spanId: '' });
});

t.test('unknown runs read as an empty last page', async (t) => {
  t.same(await readRunLogs(ch, { project: PROJECT, runId: 'nobody' }), { records: [], next: null });
  t.same(await readRunLogs(ch, { project: 'nobody', runId: 'ties' }), { records: [], next: null });
});

t.test('out-of-range arguments are refused before any SQL runs', async (t) => {
  await t.rejects(readRunLogs(ch, { ...ties, limit: 0 }), RangeError);
  await t.rejects(readRunLogs(ch, { ...ties, limit: 1001 }), /limit must be an integer in 1\.\.1000, got 1001/);
  await t.rejects(readRunLogs(ch, { ...ties, limit: 1.5 }), RangeError);
  await t.rejects(readRunLogs(ch, { ...ties, after: { time: 0n, observedTime: 0n, hash: 0n, skip: -1 } }), /skip/);
  await t.rejects(readRunLogs(ch, { ...ties, minSeverity: 256 }), /minSeverity/);
});
