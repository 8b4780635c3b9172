/** The per-table batch writer: flush by size and by time, one insert in flight, failures reach callers. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TableName, TableRows } from '@mlrun/storage';
import t from 'tap';
import { TableBatcher } from '../src/ingest/batcher.js';
import type { RowSink } from '../src/options.js';

type Point = TableRows['metric_points'];
const point = (step: number): Point => ({ project: 'p', runId: 'r', key: 'k', labels: '', step: BigInt(step), time: 0n, value: step, source: 1 });

/** A sink recording every insert; `gate` lets a test hold inserts open. */
function recordingSink(options: { failWith?: Error; gate?: Promise<void> } = {}) {
  const inserts: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sink: RowSink = {
    async insert<T extends TableName>(_table: T, rows: readonly TableRows[T][]) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await options.gate;
      await sleep(1);
      inFlight--;
      if (options.failWith) throw options.failWith;
      inserts.push((rows as readonly Point[]).map((row) => Number(row.step)));
    },
  };
  return { sink, inserts, maxInFlight: () => maxInFlight };
}

t.test('flushes when the batch reaches flushRows, merging requests', async (t) => {
  const { sink, inserts } = recordingSink();
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 4, flushIntervalMs: 60_000, maxInFlight: 1 });
  const first = batcher.add([point(1), point(2)]);
  const second = batcher.add([point(3), point(4)]);
  await Promise.all([first, second]);
  t.same(inserts, [[1, 2, 3, 4]]);
});

t.test('flushes a partial batch after flushIntervalMs', async (t) => {
  const { sink, inserts } = recordingSink();
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 1000, flushIntervalMs: 20, maxInFlight: 1 });
  const started = Date.now();
  await batcher.add([point(1)]);
  t.ok(Date.now() - started >= 15, 'waited for the interval');
  t.same(inserts, [[1]]);
});

t.test('keeps one insert in flight and batches what arrives meanwhile', async (t) => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const { sink, inserts, maxInFlight } = recordingSink({ gate });
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 1, flushIntervalMs: 60_000, maxInFlight: 1 });
  const a = batcher.add([point(1)]);
  const b = batcher.add([point(2)]);
  const c = batcher.add([point(3)]);
  open();
  await Promise.all([a, b, c]);
  t.equal(maxInFlight(), 1);
  t.same(inserts, [[1], [2, 3]], 'rows queued behind the in-flight insert go out together');
});

t.test('an insert failure rejects every request of that batch, with the cause', async (t) => {
  const cause = new Error('disk full');
  const { sink } = recordingSink({ failWith: cause });
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 2, flushIntervalMs: 60_000, maxInFlight: 1 });
  const results = await Promise.allSettled([batcher.add([point(1)]), batcher.add([point(2)])]);
  for (const result of results) {
    t.equal(result.status, 'rejected');
    t.equal((result as PromiseRejectedResult).reason.cause, cause);
  }
});

t.test('drain writes what is queued without waiting for the timer', async (t) => {
  const { sink, inserts } = recordingSink();
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 1000, flushIntervalMs: 60_000, maxInFlight: 1 });
  const pending = batcher.add([point(7)]);
  await batcher.drain();
  await pending;
  t.same(inserts, [[7]]);
});

t.test('with two insert slots a fresh batch goes out beside one in flight', async (t) => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const { sink, inserts, maxInFlight } = recordingSink({ gate });
  const batcher = new TableBatcher('metric_points', sink, { flushRows: 1, flushIntervalMs: 60_000, maxInFlight: 2 });
  const writes = [batcher.add([point(1)]), batcher.add([point(2)]), batcher.add([point(3)]), batcher.add([point(4)])];
  open();
  await Promise.all(writes);
  t.equal(maxInFlight(), 2, 'never more than two inserts at once');
  t.same(inserts.flat().sort(), [1, 2, 3, 4], 'every row written once');
  t.same(inserts.slice(0, 2), [[1], [2]], 'the first two batches went out without waiting for each other');
});
