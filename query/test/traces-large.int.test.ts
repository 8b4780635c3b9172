/**
 * A 100,101-span trace (root → 100 children → 10 each → 99 leaves each), sent as OTLP protobuf to a real
 * receiver in five requests with the root last. The first page of its tree has the right size and
 * content (root and its children with exact child counts, deeper levels not loaded), expanding a node
 * returns exactly its children in tree order, and keyset pages cover them all exactly once. The summary
 * (span count, tokens of the 99,000 LLM leaves) is exact although it was built from five insert blocks.
 */
import type { Receiver } from '@mlrun/receiver';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import { pino } from 'pino';
import t from 'tap';
import type { QueryApp } from '../src/index.js';
import { buildApp } from '../src/index.js';
import type { BigSpan, BigTrace } from './fixtures/big-trace.js';
import { bigTree, encodeBigTrace, sendTraces, treeOrder } from './fixtures/big-trace.js';
import { openStack } from './fixtures/stack.js';

interface Node {
  spanId: string;
  parentSpanId: string | null;
  childCount: number;
  children: Node[] | null;
  childrenCursor: string | null;
  kind: string;
  inputTokens: number | null;
}
interface Tree {
  trace: { spanCount: number; inputTokens: number; outputTokens: number; rootSpanId: string; durationMs: number };
  roots: Node[];
  truncated: boolean;
}
interface Page {
  children: Node[];
  nextCursor: string | null;
}

const PROJECT = 'big';
let app: QueryApp;
let receiver: Receiver;
let big: BigTrace;

t.before(async () => {
  const stack = await openStack(t, 'traces-large');
  const logger = pino({ level: 'silent' });
  receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: stack.clickhouse, logger });
  app = await buildApp({ ...stack, logger, version: 'test' });
  big = bigTree();
  await sendTraces(`http://${receiver.httpAddress}`, encodeBigTrace(PROJECT, big));
});
t.teardown(async () => {
  await app.close();
  await receiver.close();
});

const get = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json<T>() };
};
const base = () => `/api/v1/projects/${PROJECT}/traces/${big.traceId}`;

t.test('the trace summary adds up over every insert block', async (t) => {
  t.equal(big.count, 100_101);
  const { status, body } = await get<Tree>(`${base()}?depth=1`);
  t.equal(status, 200);
  t.match(body.trace, { spanCount: 100_101, rootSpanId: big.root.spanId, inputTokens: 99_000 * 10, outputTokens: 99_000 * 2 });
  t.same(body.roots.map((r) => [r.spanId, r.childCount, r.children]), [[big.root.spanId, 100, null]]);
});

t.test('first page (depth 2): the root and its 100 children with their child counts, deeper levels unloaded', async (t) => {
  const { status, body } = await get<Tree>(base());
  t.equal(status, 200);
  t.equal(body.truncated, false);
  t.equal(body.roots.length, 1);
  const [root] = body.roots as [Node];
  t.match(root, { spanId: big.root.spanId, parentSpanId: null, childCount: 100, kind: 'agent' });
  t.same(
    root.children?.map((c) => [c.spanId, c.parentSpanId, c.childCount, c.children]),
    treeOrder(big.root.children).map((c) => [c.spanId, big.root.spanId, 10, null]),
  );
});

t.test('depth 3 loads 1,101 nodes; depth 4 would pass the node budget and stops at level 3', async (t) => {
  const three = await get<Tree>(`${base()}?depth=3`);
  const level2 = three.body.roots[0]?.children ?? [];
  t.equal(level2.length, 100);
  t.same(
    level2.map((c) => c.children?.map((g) => [g.spanId, g.childCount, g.children])),
    treeOrder(big.root.children).map((c) => treeOrder(c.children).map((g) => [g.spanId, 99, null])),
  );
  t.equal(three.body.truncated, false);
  const four = await get<Tree>(`${base()}?depth=4`);
  t.equal(four.body.truncated, true, '99,000 leaves do not fit a 10,000-node page');
  t.ok(four.body.roots[0]?.children?.every((c) => c.children?.every((g) => g.children === null && g.childCount === 99)));
  // With lists cut at 98 of 99, the rows read for level 4 hold one extra row per parent: the budget must
  // count those too, or the read stops part way and the parents after the cut look childless.
  const cut = await get<Tree>(`${base()}?depth=4&limit=98`);
  const level3 = (cut.body.roots[0]?.children ?? []).flatMap((c) => c.children ?? []);
  t.equal(level3.length, 980, "the root's 100 children are cut at 98, with 10 children each");
  t.type(cut.body.roots[0]?.childrenCursor, 'string', 'the cut list of the root says where the rest starts');
  t.equal(cut.body.truncated, true);
  t.same(
    level3.filter((g) => g.children !== null && g.children.length < Math.min(g.childCount, 98)).map((g) => [g.spanId, g.childCount, g.children?.length]),
    [],
    'no node says it holds fewer children than it has (null = not loaded)',
  );
});

async function allPages(parent: BigSpan, limit: number): Promise<{ ids: string[]; pages: number; leaves: Node[] }> {
  const ids: string[] = [];
  const leaves: Node[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `${base()}/spans/${parent.spanId}/children?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
    const page: { status: number; body: Page } = await get<Page>(url);
    if (page.status !== 200) throw new Error(JSON.stringify(page.body));
    ids.push(...page.body.children.map((c) => c.spanId));
    leaves.push(...page.body.children);
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1000);
  return { ids, pages, leaves };
}

t.test('expanding a node returns exactly its children in tree order; pages cover them once', async (t) => {
  const child = treeOrder(big.root.children)[37] as BigSpan;
  const whole = await allPages(child, 500);
  t.same(whole.ids, treeOrder(child.children).map((g) => g.spanId));
  t.equal(whole.pages, 1);
  const grandchild = treeOrder(child.children)[4] as BigSpan;
  const paged = await allPages(grandchild, 10);
  t.equal(paged.pages, 10, '99 children, 10 per page');
  t.same(paged.ids, treeOrder(grandchild.children).map((l) => l.spanId));
  t.equal(new Set(paged.ids).size, 99, 'each child once');
  t.ok(paged.leaves.every((l) => l.childCount === 0 && l.children === null && l.kind === 'llm' && l.inputTokens === 10));
  const rootPages = await allPages(big.root, 7);
  t.same(rootPages.ids, treeOrder(big.root.children).map((c) => c.spanId));
  t.equal(rootPages.pages, 15);
});
