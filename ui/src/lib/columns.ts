/**
 * The runs table's columns: the fixed ones (name, status, created, duration, group, tags) and one per chosen
 * config path or metric summary, with what each shows and how the API sorts by it.
 */
import type { Run } from './api/types.js';
import { formatDuration, formatNumber, formatValue } from './format.js';
import { toNumber } from './numbers.js';

export type ColumnKind = 'name' | 'status' | 'created' | 'duration' | 'group' | 'tags' | 'config' | 'summary';

export interface Column {
  /** `config.<path>` / `summary.<key>` as the API's `columns=` spells it, or the fixed column's name. */
  readonly id: string;
  readonly kind: ColumnKind;
  readonly label: string;
  readonly width: number;
  /** The filter language's field to sort by. */
  readonly sortField: string;
  /** A config path's keys (config columns). */
  readonly path?: readonly string[];
  /** A metric key (summary columns). */
  readonly metric?: string;
  readonly numeric: boolean;
}

export const FIXED: readonly Column[] = [
  { id: 'status', kind: 'status', label: 'Status', width: 96, sortField: 'status', numeric: false },
  { id: 'created', kind: 'created', label: 'Created', width: 120, sortField: 'created', numeric: false },
  { id: 'duration', kind: 'duration', label: 'Duration', width: 92, sortField: 'duration', numeric: true },
  { id: 'group', kind: 'group', label: 'Group', width: 120, sortField: 'group', numeric: false },
  { id: 'tags', kind: 'tags', label: 'Tags', width: 140, sortField: 'tags', numeric: false },
];

export const NAME: Column = { id: 'name', kind: 'name', label: 'Name', width: 240, sortField: 'name', numeric: false };

export function configColumn(key: string, path: readonly string[]): Column {
  return { id: `config.${key}`, kind: 'config', label: key, width: 130, sortField: `config.${key}`, path, numeric: false };
}

export function summaryColumn(metric: string): Column {
  return { id: `summary.${metric}`, kind: 'summary', label: metric, width: 130, sortField: `summary.${metric}.last`, metric, numeric: true };
}

/** A column from its id (`config.<key>` needs the key's path, looked up in `paths`). */
export function columnFromId(id: string, paths: ReadonlyMap<string, readonly string[]>): Column | null {
  if (id.startsWith('config.')) {
    const key = id.slice(7);
    return configColumn(key, paths.get(key) ?? key.split('.'));
  }
  if (id.startsWith('summary.') && id.length > 8) return summaryColumn(id.slice(8));
  return null;
}

function configAt(config: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  let value: unknown = config;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What a cell shows, and its raw value for the tooltip. */
export function cellText(run: Run, column: Column, nowMs: number): string {
  switch (column.kind) {
    case 'name':
      return run.name ?? run.id;
    case 'status':
      return run.status;
    case 'created':
      return run.createdAt.replace('T', ' ').slice(0, 16);
    case 'duration':
      return run.status === 'running' && run.startedAt ? formatDuration(nowMs - Date.parse(run.startedAt)) : formatDuration(run.durationMs);
    case 'group':
      return run.group ?? '';
    case 'tags':
      return run.tags.join(', ');
    case 'config': {
      const value = configAt(run.config, column.path ?? []);
      return value === undefined ? '' : formatValue(value);
    }
    case 'summary': {
      const s = run.summary?.[column.metric ?? ''];
      return s === undefined || s.last === null ? '' : formatNumber(toNumber(s.last));
    }
  }
}

/** The API's `columns=` for the dynamic columns shown. */
export function columnsParam(columns: readonly Column[]): string {
  return columns
    .filter((c) => c.kind === 'config' || c.kind === 'summary')
    .map((c) => c.id)
    .join(',');
}

/** A one-term sort as the table's headers set it: `field asc|desc`, or null when the sort is not that simple. */
export function parseSimpleSort(sort: string): { field: string; desc: boolean } | null {
  const m = /^\s*(-)?([^\s,]+)(?:\s+(asc|desc))?\s*$/i.exec(sort);
  if (!m || m[2] === undefined) return null;
  return { field: m[2], desc: m[1] === '-' || m[3]?.toLowerCase() === 'desc' };
}

/** Header click: unsorted → descending (ascending for names) → the other way → the default order. */
export function nextSort(sort: string, field: string): string {
  const current = parseSimpleSort(sort);
  const firstDesc = field !== 'name' && field !== 'group' && field !== 'status';
  if (current === null || current.field !== field) return `${field} ${firstDesc ? 'desc' : 'asc'}`;
  if (current.desc === firstDesc) return `${field} ${firstDesc ? 'asc' : 'desc'}`;
  return '';
}
