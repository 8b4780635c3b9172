/**
 * Read access to one span's (or event's) typed attribute maps that never throws on odd shapes: maps that
 * are missing or not objects read as empty, values of the wrong type are skipped, `attributes_json`
 * values are decoded on demand. `group` un-flattens indexed keys (`llm.input_messages.0.message.role`).
 */
import { decodeAnyValueJson, isRecord } from './otlp-json.js';

type MapName = 'str' | 'int' | 'float' | 'bool' | 'json';
interface Entry {
  readonly map: MapName;
  readonly raw: unknown;
}

export interface AttrReader {
  /** A non-empty string (an int attribute as its decimal text); `undefined` otherwise. */
  str(key: string): string | undefined;
  /** A finite number from the int or float map, or a numeric string. */
  num(key: string): number | undefined;
  /** The value whatever its type: string, number, boolean, or the decoded array / key-value list. */
  value(key: string): unknown;
  has(key: string): boolean;
  keys(): string[];
  /** Keys `<prefix><index>.<rest>` grouped by index in numeric order, each group read by `<rest>`. */
  group(prefix: string): AttrReader[];
}

/** Map order decides which value wins when a key appears in more than one map (it should not). */
const MAPS: readonly MapName[] = ['str', 'int', 'float', 'bool', 'json'];
const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function entriesOf(attributes: unknown): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  if (!isRecord(attributes)) return entries;
  for (const map of MAPS) {
    const values = Object.hasOwn(attributes, map) ? attributes[map] : undefined;
    if (!isRecord(values)) continue;
    for (const [key, raw] of Object.entries(values)) if (!entries.has(key)) entries.set(key, { map, raw });
  }
  return entries;
}

function decode(entry: Entry | undefined): unknown {
  if (!entry) return undefined;
  const { map, raw } = entry;
  switch (map) {
    case 'str':
      return typeof raw === 'string' ? raw : undefined;
    case 'int':
      if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
      if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return Number.isSafeInteger(Number(raw)) ? Number(raw) : raw;
      return undefined;
    case 'float':
      return typeof raw === 'number' ? raw : undefined;
    case 'bool':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'json':
      return typeof raw === 'string' ? decodeAnyValueJson(raw) : undefined;
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

function readerOf(entries: Map<string, Entry>): AttrReader {
  const value = (key: string): unknown => decode(entries.get(key));
  return {
    str(key) {
      const v = value(key);
      if (typeof v === 'string') return v === '' ? undefined : v;
      return typeof v === 'number' && Number.isInteger(v) ? String(v) : undefined;
    },
    num: (key) => toNumber(value(key)),
    value,
    has: (key) => value(key) !== undefined,
    keys: () => [...entries.keys()],
    group: (prefix) => groupOf(entries, prefix),
  };
}

function groupOf(entries: Map<string, Entry>, prefix: string): AttrReader[] {
  const groups = new Map<number, Map<string, Entry>>();
  for (const [key, entry] of entries) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d{1,15})\.(.+)$/s.exec(key.slice(prefix.length));
    if (!match) continue;
    const index = Number(match[1]);
    let group = groups.get(index);
    if (!group) groups.set(index, (group = new Map<string, Entry>()));
    group.set(match[2] as string, entry);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => readerOf(group));
}

/** A reader over one attribute set in storage's typed-map shape (see SpanAttributes). */
export function attrReader(attributes: unknown): AttrReader {
  return readerOf(entriesOf(attributes));
}
