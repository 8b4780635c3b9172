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
}

export interface TreeState {
  /** Every loaded span by id. */
  readonly nodes: ReadonlyMap<string, TreeSpan>;
  /** Loaded children ids of a span, in start order (absent: not loaded). */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Where the next page of a span's children starts (absent or null: all loaded). */
  readonly more: ReadonlyMap<string, string | null>;
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

function addAll(nodes: Map<string, TreeSpan>, children: Map<string, readonly string[]>, spans: readonly TreeSpan[]): string[] {
  const ids: string[] = [];
  for (const span of spans) {
    nodes.set(span.spanId, span);
    ids.push(span.spanId);
    if (span.children !== null) children.set(span.spanId, addAll(nodes, children, span.children));
  }
  return ids;
}

/** The state of a first page: roots with their first levels. */
export function initialTree(roots: readonly TreeSpan[]): TreeState {
  const nodes = new Map<string, TreeSpan>();
  const children = new Map<string, readonly string[]>();
  const ids = addAll(nodes, children, roots);
  return { nodes, children, more: new Map(), roots: ids };
}

/** A page of `parent`'s children arrived (appended after the ones already loaded). */
export function addChildren(state: TreeState, parent: string, page: readonly TreeSpan[], next: string | null): TreeState {
  const nodes = new Map(state.nodes);
  const children = new Map(state.children);
  const ids = addAll(nodes, children, page);
  const before = state.children.get(parent) ?? [];
  const seen = new Set(before);
  children.set(parent, [...before, ...ids.filter((id) => !seen.has(id))]);
  const more = new Map(state.more);
  more.set(parent, next);
  return { nodes, children, more, roots: state.roots };
}

/** The rows on screen: depth-first over the expanded spans. */
export function flatten(state: TreeState, expanded: ReadonlySet<string>): (Row | MoreRow)[] {
  const rows: (Row | MoreRow)[] = [];
  const stack: { id: string; depth: number }[] = [...state.roots].reverse().map((id) => ({ id, depth: 0 }));
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    if (top.id.startsWith('\u0000more:')) {
      const parent = top.id.slice(6);
      const cursor = state.more.get(parent);
      if (cursor) rows.push({ more: parent, depth: top.depth, cursor });
      continue;
    }
    const span = state.nodes.get(top.id);
    if (span === undefined) continue;
    const loaded = state.children.get(top.id);
    const open = expanded.has(top.id) && span.childCount > 0;
    rows.push({ span, depth: top.depth, expanded: open, needsLoad: span.childCount > 0 && loaded === undefined });
    if (open && loaded !== undefined) {
      if (state.more.get(top.id)) stack.push({ id: `\u0000more:${top.id}`, depth: top.depth + 1 });
      for (let i = loaded.length - 1; i >= 0; i--) stack.push({ id: loaded[i] ?? '', depth: top.depth + 1 });
    }
  }
  return rows;
}

export function isMore(row: Row | MoreRow): row is MoreRow {
  return 'more' in row;
}

/** Spans expanded by default: those whose children came with the first page. */
export function initiallyExpanded(state: TreeState): Set<string> {
  return new Set([...state.children.keys()].filter((id) => (state.children.get(id)?.length ?? 0) > 0));
}
