/** The waterfall's tree: a first page with levels, children added on expand in pages, rows flattened. */
import t from 'tap';
import type { TreeSpan } from '../src/lib/trace-tree.js';
import { addChildren, flatten, initialTree, initiallyExpanded, isMore, refreshRow } from '../src/lib/trace-tree.js';

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

t.test('a first-page list cut at its limit carries a cursor: a "more" row pages the rest', async (t) => {
  const cut: TreeSpan = { ...span('r', null, 3, [span('a', 'r', 0), span('b', 'r', 0)]), childrenCursor: 'rest-of-r' };
  let state = initialTree([cut]);
  const expanded = initiallyExpanded(state);
  const rows = flatten(state, expanded);
  t.same(names(rows), ['r@0', 'a@1', 'b@1', 'more(r)@1']);
  const more = rows[3];
  t.equal(more && isMore(more) ? more.cursor : null, 'rest-of-r', 'the row asks for the rest with the API cursor');
  state = addChildren(state, 'r', [span('c', 'r', 0)], null);
  t.same(names(flatten(state, expanded)), ['r@0', 'a@1', 'b@1', 'c@1']);
});

t.test('refreshRow keeps the rows equal to flatten through 2,000 random expands, collapses and pages', async (t) => {
  let seed = 11;
  const rand = (n: number): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) % n);
  // A random tree of ~3,000 spans, known in full; the view loads it a page at a time.
  const kids = new Map<string, string[]>([['r', []]]);
  const ids = ['r'];
  for (let i = 1; i < 3000; i++) {
    const parent = ids[rand(ids.length)] ?? 'r';
    const id = `s${i}`;
    kids.get(parent)?.push(id);
    kids.set(id, []);
    ids.push(id);
  }
  const node = (id: string, parent: string | null): TreeSpan => span(id, parent, kids.get(id)?.length ?? 0);
  let state = initialTree([{ ...node('r', null), children: (kids.get('r') ?? []).map((c) => node(c, 'r')) }]);
  const expanded = new Set(initiallyExpanded(state));
  let rows = flatten(state, expanded);
  let checked = 0;
  for (let step = 0; step < 2000; step++) {
    const shown = rows.filter((r) => !isMore(r) && r.span.childCount > 0);
    const pick = shown[rand(shown.length)];
    if (pick === undefined || isMore(pick)) break;
    const id = pick.span.spanId;
    const loaded = state.children.get(id)?.length ?? 0;
    const all = kids.get(id) ?? [];
    if (pick.expanded && loaded < all.length && rand(2) === 0) {
      // The next page of its children (up to 7), with a cursor when more remain.
      const page = all.slice(loaded, loaded + 1 + rand(7));
      state = addChildren(state, id, page.map((c) => node(c, id)), loaded + page.length < all.length ? `after-${loaded + page.length}` : null);
    } else if (pick.expanded) {
      expanded.delete(id);
    } else {
      expanded.add(id);
    }
    rows = refreshRow(rows, id, state, expanded);
    const expected = flatten(state, expanded);
    if (rows.length !== expected.length || rows.some((r, i) => names([r])[0] !== names([expected[i] as (typeof rows)[number]])[0] || (!isMore(r) && (r.expanded !== (expected[i] as typeof r).expanded || r.needsLoad !== (expected[i] as typeof r).needsLoad)))) {
      t.fail(`step ${step} (${id}): the rows differ from flatten`);
      return;
    }
    checked++;
  }
  t.equal(checked, 2000, 'every step equal to a full flatten');
  t.ok(rows.length > 100, `the tree grew (${rows.length} rows)`);
});

t.test('refreshRow of a span without a row (inside a collapsed one) changes nothing', async (t) => {
  const state = initialTree([span('r', null, 1, [span('a', 'r', 1, [span('b', 'a', 0, [])])])]);
  const rows = flatten(state, new Set(['a']));
  t.same(names(refreshRow(rows, 'b', state, new Set(['a']))), names(rows));
  t.same(names(rows), ['r@0']);
});
