/** Record ids in a decoded request (find, drop) and the de-duplicator's decisions, over an in-memory lookup. */
import type { IExportLogsServiceRequest, ILogRecord } from '@mlrun/proto';
import { Long } from '@mlrun/proto';
import t from 'tap';
import { RecordDedup } from '../src/ingest/dedup.js';
import { collectRecordIds, dropRecords, recordIdOf } from '../src/ingest/record-ids.js';
import type { RecordRef } from '../src/ingest/record-ids.js';
import type { RecordIdLookup } from '../src/options.js';

const context = { projectOverride: '', receivedAt: 0n };
const idAttr = (id: string) => ({ key: 'mlrun.record.id', value: { stringValue: id } });
const rec = (id?: string): ILogRecord => ({ eventName: 'mlrun.metrics', attributes: id === undefined ? [] : [idAttr(id)] });

function request(...resources: ILogRecord[][][]): IExportLogsServiceRequest {
  return {
    resourceLogs: resources.map((scopes, i) => ({
      resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: `p${i}` } }] },
      scopeLogs: scopes.map((logRecords) => ({ logRecords })),
    })),
  };
}

t.test('recordIdOf: the last mlrun.record.id attribute, only when it is a non-empty string', async (t) => {
  t.equal(recordIdOf([idAttr('a'), idAttr('b')]), 'b');
  t.equal(recordIdOf([{ key: 'mlrun.record.id', value: { intValue: Long.fromNumber(7) } }]), undefined);
  t.equal(recordIdOf([idAttr('')]), undefined);
  t.equal(recordIdOf([{ key: 'mlrun.record.id' }]), undefined);
  t.equal(recordIdOf(undefined), undefined);
});

t.test('collectRecordIds: undefined without ids; else refs in request order, keyed by project', async (t) => {
  t.equal(collectRecordIds(request([[rec(), rec()]]), context), undefined);
  const refs = collectRecordIds(request([[rec('a'), rec()]], [[rec('a')]]), context) ?? [];
  t.same(refs.map((r) => [r.project, r.id, r.key]), [['p0', 'a', 'p0\u0000a'], ['p1', 'a', 'p1\u0000a']]);
  const overridden = collectRecordIds(request([[rec('a')]]), { ...context, projectOverride: 'hdr' }) ?? [];
  t.equal(overridden[0]?.project, 'hdr');
});

t.test('dropRecords removes records, and the blocks it empties, but not blocks that arrived empty', async (t) => {
  const a = rec('a');
  const b = rec('b');
  const c = rec('c');
  const req = request([[a, b], []], [[c]]);
  dropRecords(req, new Set([a, c]));
  t.equal(req.resourceLogs?.length, 1, 'the resource left without records is gone');
  t.same(req.resourceLogs?.[0]?.scopeLogs?.map((s) => s.logRecords?.length), [1, 0]);
  t.equal(req.resourceLogs?.[0]?.scopeLogs?.[0]?.logRecords?.[0], b);
});

/** A lookup over a set of `project NUL id` keys; `gate` holds answers back, `fail` makes them throw. */
function memoryLookup(stored: Set<string>) {
  const calls: string[][] = [];
  const lookup: RecordIdLookup & { fail: boolean } = {
    fail: false,
    async known(project, ids) {
      calls.push([...ids]);
      if (this.fail) throw new Error('lookup down');
      return new Set(ids.filter((id) => stored.has(`${project}\u0000${id}`)));
    },
  };
  return { lookup, calls };
}

const refs = (...ids: string[]): RecordRef[] => ids.map((id) => ({ record: rec(id), project: 'p', id, key: `p\u0000${id}` }));

t.test('admit: repeats in the request, stored ids and recently stored ids are dropped', async (t) => {
  const { lookup, calls } = memoryLookup(new Set(['p\u0000old']));
  const dedup = new RecordDedup(lookup, 10);
  const first = await dedup.admit(refs('a', 'a', 'old', 'b'));
  t.same(first.claimed.map((r) => r.id), ['a', 'b']);
  t.equal(first.drop.size, 2);
  first.settle(true);
  const second = await dedup.admit(refs('a', 'b', 'c'));
  t.same(second.claimed.map((r) => r.id), ['c']);
  t.same(calls, [['a', 'old', 'b'], ['c']], 'ids remembered in memory are not looked up');
  t.equal(dedup.dropped, 4);
});

t.test('admit waits for a request storing the same ids: dropped if it stored them, claimed if it failed', async (t) => {
  const { lookup } = memoryLookup(new Set());
  const dedup = new RecordDedup(lookup, 10);
  const owner = await dedup.admit(refs('x', 'y'));
  let waited = false;
  const waiter = dedup.admit(refs('x', 'z')).then((admission) => ((waited = true), admission));
  await new Promise((resolve) => setImmediate(resolve));
  t.notOk(waited, 'the second request waits while the first holds x');
  owner.settle(false);
  const second = await waiter;
  t.same(second.claimed.map((r) => r.id), ['x', 'z'], 'after a failure, the waiter stores x itself');
  const third = dedup.admit(refs('x'));
  second.settle(true);
  t.same((await third).claimed, [], 'after a success, x is a duplicate');
});

t.test('a failed lookup releases the claims and throws', async (t) => {
  const { lookup } = memoryLookup(new Set());
  const dedup = new RecordDedup(lookup, 10);
  lookup.fail = true;
  await t.rejects(dedup.admit(refs('a')), /lookup down/);
  lookup.fail = false;
  t.same((await dedup.admit(refs('a'))).claimed.map((r) => r.id), ['a'], 'not held by the failed request');
});

t.test('the in-memory cache is bounded: evicted ids are looked up again', async (t) => {
  const { lookup, calls } = memoryLookup(new Set());
  const dedup = new RecordDedup(lookup, 2);
  for (const id of ['a', 'b', 'c']) (await dedup.admit(refs(id))).settle(true);
  await dedup.admit(refs('a', 'c'));
  t.same(calls.at(-1), ['a'], 'a was evicted, c is remembered');
});
