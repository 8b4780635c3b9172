/**
 * `columns=` of the run list: which config paths and metric summaries each run carries. Absent: the whole
 * config and every summary; empty: neither. Entries are `config.<dotted.path>` (a segment with dots or
 * other characters is quoted as in the filter language: `config."a.b".c`) and `summary.<key>` (the rest of
 * the text is the metric key, dots and slashes included).
 */
import type { Json, JsonObject } from '@mlrun/storage';
import { lexString } from '../filter/lexer.js';

export interface ColumnSelection {
  /** null: the whole config. */
  readonly config: readonly (readonly string[])[] | null;
  /** null: every metric key. */
  readonly summary: readonly string[] | null;
}

export const MAX_COLUMNS = 200;

export type ColumnsResult = { readonly ok: true; readonly columns: ColumnSelection } | { readonly ok: false; readonly position: number; readonly message: string };

const BARE = /^[A-Za-z_][A-Za-z0-9_/-]*/;

function parsePath(text: string, offset: number): readonly string[] | { position: number; message: string } {
  const path: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (text[at] === '"' || text[at] === "'") {
      let lexed: { value: string; end: number };
      try {
        lexed = lexString(text, at);
      } catch {
        return { position: offset + at, message: 'unterminated quoted key' };
      }
      path.push(lexed.value);
      at = lexed.end;
    } else {
      const bare = BARE.exec(text.slice(at));
      if (!bare) return { position: offset + at, message: 'expected a key (letters, digits, _ / -, or a quoted key)' };
      path.push(bare[0]);
      at += bare[0].length;
    }
    if (at < text.length) {
      if (text[at] !== '.') return { position: offset + at, message: "expected '.' between keys" };
      at++;
      if (at === text.length) return { position: offset + at, message: "expected a key after '.'" };
    }
  }
  return path;
}

export function parseColumns(text: string | undefined): ColumnsResult {
  if (text === undefined) return { ok: true, columns: { config: null, summary: null } };
  const config: (readonly string[])[] = [];
  const summary: string[] = [];
  let offset = 0;
  const entries = text.trim() === '' ? [] : text.split(',');
  if (entries.length > MAX_COLUMNS) return { ok: false, position: 0, message: `at most ${MAX_COLUMNS} columns` };
  for (const raw of entries) {
    const entry = raw.trim();
    const at = offset + raw.indexOf(entry);
    offset += raw.length + 1;
    if (entry.startsWith('config.')) {
      const path = parsePath(entry.slice(7), at + 7);
      if (!Array.isArray(path)) return { ok: false, ...(path as { position: number; message: string }) };
      config.push(path);
    } else if (entry.startsWith('summary.') && entry.length > 8) {
      summary.push(entry.slice(8));
    } else {
      return { ok: false, position: at, message: 'expected config.<path> or summary.<metric key>' };
    }
  }
  return { ok: true, columns: { config, summary } };
}

/** The value at a config path; `found` false when a key on the way is missing. */
export function configAt(config: JsonObject, path: readonly string[]): { found: boolean; value: Json } {
  let value: Json = config;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return { found: false, value: null };
    value = (value as JsonObject)[key] ?? null;
  }
  return { found: true, value };
}

/** The chosen paths of a config, nested as in the original (missing paths left out). */
export function pickConfig(config: JsonObject, paths: readonly (readonly string[])[] | null): JsonObject {
  if (paths === null) return config;
  const out: { [key: string]: Json } = {};
  for (const path of paths) {
    const { found, value } = configAt(config, path);
    if (!found || path.length === 0) continue;
    let node = out;
    path.slice(0, -1).forEach((key) => {
      const next = node[key];
      node = (node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {}) as { [key: string]: Json };
    });
    node[path[path.length - 1] as string] = value;
  }
  return out;
}

/** A config path as the filter language spells it (`optimizer.lr`, `"a.b".c`). */
export function formatPath(path: readonly string[]): string {
  return path.map((key) => (/^[A-Za-z_][A-Za-z0-9_/-]*$/.test(key) ? key : JSON.stringify(key))).join('.');
}

