/** The ingest memory budget: immediate admission, a bounded FIFO wait, refusal when full. */
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { estimateRequestMemory, MemoryBudget } from '../src/ingest/budget.js';

t.test('admits while there is room and refuses at once without a wait', async (t) => {
  const budget = new MemoryBudget(100, 0);
  t.equal(await budget.acquire(60), true);
  t.equal(await budget.acquire(40), true);
  t.equal(await budget.acquire(1), false);
  budget.release(40);
  t.equal(await budget.acquire(30), true);
  t.equal(budget.used, 90);
});

t.test('a request larger than the whole budget runs alone', async (t) => {
  const budget = new MemoryBudget(100, 0);
  t.equal(await budget.acquire(500), true, 'admitted when idle');
  t.equal(await budget.acquire(1), false);
  budget.release(500);
  t.equal(budget.used, 0);
});

t.test('waiters are admitted in order as memory is released', async (t) => {
  const budget = new MemoryBudget(100, 1000);
  t.equal(await budget.acquire(100), true);
  const order: string[] = [];
  const a = budget.acquire(50).then((ok) => order.push(`a:${ok}`));
  const b = budget.acquire(50).then((ok) => order.push(`b:${ok}`));
  t.equal(budget.queued, 100);
  const c = budget.acquire(1).then((ok) => order.push(`c:${ok}`));
  await c;
  t.same(order, ['c:false'], 'the queue holds at most one budget of waiters');
  budget.release(100);
  await Promise.all([a, b]);
  t.same(order, ['c:false', 'a:true', 'b:true']);
  t.equal(budget.used, 100);
  t.equal(budget.queued, 0);
});

t.test('a waiter gives up after maxWaitMs and frees its queue slot', async (t) => {
  const budget = new MemoryBudget(100, 30);
  await budget.acquire(100);
  const started = Date.now();
  t.equal(await budget.acquire(10), false);
  t.ok(Date.now() - started >= 25);
  t.equal(budget.queued, 0);
  await sleep(1);
  budget.release(100);
  t.equal(budget.used, 0, 'a timed-out waiter is not admitted later');
});

t.test('newcomers do not overtake the queue', async (t) => {
  const budget = new MemoryBudget(100, 1000);
  await budget.acquire(90);
  const big = budget.acquire(50);
  const small = budget.acquire(5);
  budget.release(90);
  t.equal(await big, true);
  t.equal(await small, true);
});

t.test('memory estimates grow with the body and favour protobuf expansion', async (t) => {
  t.ok(estimateRequestMemory(1000, 'protobuf') > estimateRequestMemory(1000, 'json'));
  t.ok(estimateRequestMemory(0, 'json') > 0);
});
