/**
 * The first page of a trace's tree: its roots and `depth` levels below them at most (roots are level 1),
 * each list of children at most `limit` long, and every node's child count. Nodes of the deepest loaded
 * level come back with `children: null` (expand them with the children route); a list cut at `limit` (its
 * parent's `childrenCursor` pages the rest through the children route), or a
 * level left unloaded because the page would pass MAX_TREE_NODES nodes, sets `truncated`.
 */
import type { ClickHouse, SpanNodeRow } from '@mlrun/storage';
import { countChildren, readChildren, readRoots } from '@mlrun/storage';
import type { PriceTable } from '../traces/prices.js';
import { encodeChildCursor } from './cursors.js';
import type { SpanNodeJson } from './views.js';
import { nodeView } from './views.js';

/** The most nodes one tree page holds. */
export const MAX_TREE_NODES = 10_000;

interface Loaded {
  readonly row: SpanNodeRow;
  readonly json: SpanNodeJson;
}

export interface TreeRequest {
  readonly project: string;
  readonly traceId: string;
  readonly traceStartNs: bigint;
  readonly depth: number;
  readonly limit: number;
  readonly prices: PriceTable;
}

/** Loads the level below `level` into it; the next level, or null when it did not fit the budget. */
async function expand(ch: ClickHouse, r: TreeRequest, level: readonly Loaded[], room: number): Promise<{ next: Loaded[]; truncated: boolean } | null> {
  // Up to limit + 1 rows per parent come back (the extra one says "cut"), so the read may hold one more row
  // per parent than the page would keep: a read stopped by `max` then always keeps more than `room`, and a
  // level is either whole or not loaded — never whole for the parents before the stop and empty after it.
  const max = room + level.length + 1;
  const children = await readChildren(ch, { project: r.project, traceId: r.traceId, parents: level.map((n) => n.row.spanId), limit: r.limit, max });
  const total = [...children.values()].reduce((n, list) => n + Math.min(list.length, r.limit), 0);
  if (total > room) return null;
  const next: Loaded[] = [];
  let truncated = false;
  for (const parent of level) {
    const list = children.get(parent.row.spanId) ?? [];
    const loaded = list.slice(0, r.limit).map((row) => ({ row, json: nodeView(row, r.traceStartNs, 0, r.prices) }));
    parent.json.children = loaded.map((n) => n.json);
    const last = loaded.at(-1)?.row;
    if (list.length > r.limit && last !== undefined) {
      truncated = true;
      parent.json.childrenCursor = encodeChildCursor(r.traceId, parent.row.spanId, { startNs: last.startNs, spanId: last.spanId });
    }
    next.push(...loaded);
  }
  return { next, truncated };
}

export async function treePage(ch: ClickHouse, r: TreeRequest): Promise<{ roots: SpanNodeJson[]; truncated: boolean }> {
  const first = await readRoots(ch, r.project, r.traceId, r.limit);
  let level: Loaded[] = first.roots.map((row) => ({ row, json: nodeView(row, r.traceStartNs, 0, r.prices) }));
  const all = [...level];
  let truncated = first.truncated;
  for (let d = 2; d <= r.depth && level.length > 0; d++) {
    const expanded = await expand(ch, r, level, MAX_TREE_NODES - all.length);
    if (expanded === null) {
      truncated = true;
      break;
    }
    truncated ||= expanded.truncated;
    level = expanded.next;
    all.push(...level);
  }
  const counts = await countChildren(ch, r.project, r.traceId, all.map((n) => n.row.spanId));
  for (const n of all) n.json.childCount = counts.get(n.row.spanId) ?? 0;
  return { roots: first.roots.length === 0 ? [] : all.slice(0, first.roots.length).map((n) => n.json), truncated };
}
