/** The waterfall's tree: a first page with levels, children added on expand in pages, rows flattened. */
import t from 'tap';
import type { TreeSpan } from '../src/lib/trace-tree.js';
import { addChildren, flatten, initialTree, initiallyExpanded, isMore } from '../src/lib/trace-tree.js';

function span(id: string, parent: string | null, childCount: number, children: TreeSpan[] | null = null): TreeSpan {
  return { spanId: id, parentSpanId: parent, name: `op ${id}`, startOffsetMs: 0, durationMs: 1, status: 'ok', kind: 'other', childCount, children };
}

const names = (rows: ReturnType<typeof flatten>) => rows.map((r) => (isMore(r) ? `more(${r.more})@${r.depth}` : `${r.span.spanId}@${r.depth}`));

t.test('the first page shows the loaded levels expanded, deeper spans collapsed', async (t) => {
  const root = span('r', null, 2, [span('a', 'r', 3, null), span('b', 'r', 0, [])]);
  const state = initialTree([root]);
  const expanded = initiallyExpanded(state);
  t.same([...expanded], ['r'], 'only spans whose children arrived');
  const rows = flatten(state, expanded);
  t.same(names(rows), ['r@0', 'a@1', 'b@1']);
  const a = rows[1];
  t.ok(a && !isMore(a) && a.needsLoad && !a.expanded, 'a has 3 children not loaded yet');
});

t.test('children arrive in pages; a "more" row stands for the rest; nothing shows twice', async (t) => {
  let state = initialTree([span('r', null, 1, [span('a', 'r', 3, null)])]);
  const expanded = new Set(['r', 'a']);
  state = addChildren(state, 'a', [span('a1', 'a', 0), span('a2', 'a', 1)], 'cursor-2');
  t.same(names(flatten(state, expanded)), ['r@0', 'a@1', 'a1@2', 'a2@2', 'more(a)@2']);
  state = addChildren(state, 'a', [span('a2', 'a', 1), span('a3', 'a', 0)], null);
  t.same(names(flatten(state, expanded)), ['r@0', 'a@1', 'a1@2', 'a2@2', 'a3@2'], 'a repeated span is kept once; no more row at the end');
  t.same(names(flatten(state, new Set(['r']))), ['r@0', 'a@1'], 'collapsing hides the subtree');
});

t.test('orphan roots and a wide level flatten in order', async (t) => {
  const wide = Array.from({ length: 1000 }, (_, i) => span(`c${i}`, 'r', 0));
  const state = initialTree([span('r', null, 1000, wide), span('orphan', 'missing', 0, [])]);
  const rows = flatten(state, initiallyExpanded(state));
  t.equal(rows.length, 1002);
  t.equal(names(rows)[1000], 'c999@1');
  t.equal(names(rows)[1001], 'orphan@0');
});
