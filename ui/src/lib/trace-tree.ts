/**
 * A trace's span tree as the waterfall shows it, loaded a piece at a time: the API sends the roots and the
 * first levels, and children of deeper spans on expand (a page at a time). This module keeps the nodes by
 * id and flattens what is expanded into the rows on screen — pure, so the 100k-span case is plain arrays.
 */

export interface TreeSpan {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly startOffsetMs: number;
  readonly durationMs: number;
  readonly status: string;
  readonly kind: string;
  readonly childCount: number;
  /** null: not loaded yet (expand to fetch). */
  readonly children: readonly TreeSpan[] | null;
  /** Set when `children` is only the first part of the list: where the rest starts. */
  readonly childrenCursor?: string | null;
}

/** The loaded tree. Its maps are written by this module only (addChildren updates them in place). */
export interface TreeState {
  /** Every loaded span by id. */
  readonly nodes: Map<string, TreeSpan>;
  /** Loaded children ids of a span, in start order (absent: not loaded). */
  readonly children: Map<string, readonly string[]>;
  /** Where the next page of a span's children starts (absent or null: all loaded). */
  readonly more: Map<string, string | null>;
  readonly roots: readonly string[];
}

export interface Row {
  readonly span: TreeSpan;
  readonly depth: number;
  readonly expanded: boolean;
  /** The span has children that are not loaded (expanding fetches them). */
  readonly needsLoad: boolean;
}

/** Row for "load more children" under a span whose children came in pages. */
export interface MoreRow {
  readonly more: string;
  readonly depth: number;
  readonly cursor: string;
}

type Maps = Omit<TreeState, 'roots'>;

function addAll(maps: Maps, spans: readonly TreeSpan[]): string[] {
  const ids: string[] = [];
  for (const span of spans) {
    maps.nodes.set(span.spanId, span);
    ids.push(span.spanId);
    if (span.children !== null) maps.children.set(span.spanId, addAll(maps, span.children));
    if (span.childrenCursor) maps.more.set(span.spanId, span.childrenCursor);
  }
  return ids;
}

/** The state of a first page: roots with their first levels. */
export function initialTree(roots: readonly TreeSpan[]): TreeState {
  const maps: Maps = { nodes: new Map(), children: new Map(), more: new Map() };
  return { ...maps, roots: addAll(maps, roots) };
}

/**
 * A page of `parent`'s children arrived (appended after the ones already loaded). The maps are updated in
 * place — a copy per expand costs O(loaded spans), ~90 ms at 100k — and a new state object is returned for
 * the view to notice: the state passed in is spent.
 */
export function addChildren(state: TreeState, parent: string, page: readonly TreeSpan[], next: string | null): TreeState {
  const before = state.children.get(parent) ?? [];
  const ids = addAll(state, page);
  const seen = new Set(before);
  state.children.set(parent, [...before, ...ids.filter((id) => !seen.has(id))]);
  state.more.set(parent, next);
  return { ...state };
}

/** A span's row and, when it is expanded, the rows below it (its loaded children, depth-first, then "more"). */
function pushSubtree(state: TreeState, expanded: ReadonlySet<string>, id: string, depth: number, out: (Row | MoreRow)[]): void {
  // Iterative (a deep chain of spans must not overflow the stack): entries are span ids, or a parent whose
  // "more" row comes after its children.
  const stack: { id: string; depth: number; more: boolean }[] = [{ id, depth, more: false }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.more) {
      const cursor = state.more.get(top.id);
      if (cursor) out.push({ more: top.id, depth: top.depth, cursor });
      continue;
    }
    const span = state.nodes.get(top.id);
    if (span === undefined) continue;
    const loaded = state.children.get(top.id);
    const open = expanded.has(top.id) && span.childCount > 0;
    out.push({ span, depth: top.depth, expanded: open, needsLoad: span.childCount > 0 && loaded === undefined });
    if (open && loaded !== undefined) {
      stack.push({ id: top.id, depth: top.depth + 1, more: true });
      for (let i = loaded.length - 1; i >= 0; i--) stack.push({ id: loaded[i] ?? '', depth: top.depth + 1, more: false });
    }
  }
}

/** The rows on screen: depth-first over the expanded spans. */
export function flatten(state: TreeState, expanded: ReadonlySet<string>): (Row | MoreRow)[] {
  const rows: (Row | MoreRow)[] = [];
  for (const id of state.roots) pushSubtree(state, expanded, id, 0, rows);
  return rows;
}

/**
 * `rows` after span `spanId` was expanded, collapsed or given more children: its row and the rows below it
 * are drawn again, the rest is kept — O(rows of that subtree), where flatten is O(all rows) (~60 ms at
 * 100k). Equal to flatten(state, expanded) when `rows` was flatten of the state before the change. A span
 * that has no row (inside a collapsed one) leaves `rows` as it is.
 */
export function refreshRow(rows: readonly (Row | MoreRow)[], spanId: string, state: TreeState, expanded: ReadonlySet<string>): (Row | MoreRow)[] {
  const index = rows.findIndex((r) => !isMore(r) && r.span.spanId === spanId);
  const row = rows[index];
  if (row === undefined) return [...rows];
  let end = index + 1;
  while (end < rows.length && (rows[end]?.depth ?? 0) > row.depth) end++;
  const fresh: (Row | MoreRow)[] = [];
  pushSubtree(state, expanded, spanId, row.depth, fresh);
  return rows.slice(0, index).concat(fresh, rows.slice(end));
}

export function isMore(row: Row | MoreRow): row is MoreRow {
  return 'more' in row;
}

/** Spans expanded by default: those whose children came with the first page. */
export function initiallyExpanded(state: TreeState): Set<string> {
  return new Set([...state.children.keys()].filter((id) => (state.children.get(id)?.length ?? 0) > 0));
}
