/**
 * The model price table: USD per million input and output tokens, used for a span's cost when the
 * sender reported none. Built-in entries are prices-data.ts; a JSON price file (`--prices FILE` /
 * MLRUN_PRICES_FILE) overrides and extends them. Lookup: exact id, then the id with provider prefixes
 * and version/date suffixes taken off, then the longest matching `prefix*` entry; case-insensitive.
 */
import { readFileSync } from 'node:fs';
import { isRecord } from './otlp-json.js';
import { PRICE_DATA } from './prices-data.js';

export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export interface PriceTable {
  /** Exact model ids, lower case. */
  readonly exact: ReadonlyMap<string, ModelPrice>;
  /** `prefix*` entries (the prefix lower case), longest first. */
  readonly prefixes: readonly { readonly prefix: string; readonly price: ModelPrice }[];
  /** Where the entries came from, built-in first: `built-in (as of …)`, then price file paths. */
  readonly sources: readonly string[];
}

export class PriceTableError extends Error {
  readonly problems: readonly string[];

  constructor(origin: string, problems: readonly string[]) {
    super(`invalid price table ${origin}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PriceTableError';
    this.problems = Object.freeze([...problems]);
  }
}

const PRICE_FIELDS = ['inputPerMTok', 'outputPerMTok'] as const;
const SHAPE = 'a JSON object of "<model id or prefix*>": {"inputPerMTok": number, "outputPerMTok": number}';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkKey(key: string): string | undefined {
  if (key.trim() === '') return 'a model id must not be empty';
  const star = key.indexOf('*');
  if (star >= 0 && star !== key.length - 1) return `"${key}": "*" may only end a prefix entry`;
  if (key === '*') return '"*": a prefix entry needs at least one character before "*"';
  return undefined;
}

function checkEntry(key: string, value: unknown, problems: string[]): ModelPrice | undefined {
  if (!isRecord(value)) {
    problems.push(`"${key}": expected {"inputPerMTok": number, "outputPerMTok": number}, got ${describe(value)}`);
    return undefined;
  }
  const start = problems.length;
  for (const extra of Object.keys(value).filter((k) => !(PRICE_FIELDS as readonly string[]).includes(k))) {
    problems.push(`"${key}": unknown property "${extra}" (expected inputPerMTok and outputPerMTok)`);
  }
  for (const field of PRICE_FIELDS) {
    const n = value[field];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) problems.push(`"${key}": ${field} must be a number >= 0, got ${describe(n)}`);
  }
  if (problems.length > start) return undefined;
  return Object.freeze({ inputPerMTok: value.inputPerMTok as number, outputPerMTok: value.outputPerMTok as number });
}

/** Entries of a price object (notes `_…` skipped), or every problem found. */
function parseEntries(data: unknown): { entries: Map<string, ModelPrice>; problems: string[] } {
  const entries = new Map<string, ModelPrice>();
  if (!isRecord(data)) return { entries, problems: [`expected ${SHAPE}, got ${describe(data)}`] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('_')) continue;
    const keyProblem = checkKey(key);
    if (keyProblem) {
      problems.push(keyProblem);
      continue;
    }
    const price = checkEntry(key, value, problems);
    if (price) entries.set(key.trim().toLowerCase(), price);
  }
  return { entries, problems };
}

function tableOf(entries: Map<string, ModelPrice>, sources: readonly string[]): PriceTable {
  const exact = new Map<string, ModelPrice>();
  const prefixes: { prefix: string; price: ModelPrice }[] = [];
  for (const [key, price] of entries) {
    if (key.endsWith('*')) prefixes.push(Object.freeze({ prefix: key.slice(0, -1), price }));
    else exact.set(key, price);
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length || (a.prefix < b.prefix ? -1 : 1));
  return Object.freeze({ exact, prefixes: Object.freeze(prefixes), sources: Object.freeze([...sources]) });
}

function entriesOf(table: PriceTable): Map<string, ModelPrice> {
  const out = new Map(table.exact);
  for (const { prefix, price } of table.prefixes) out.set(`${prefix}*`, price);
  return out;
}

/**
 * `base` with the entries of a parsed price object on top (same id → the object's price). Throws a
 * PriceTableError listing every problem; `origin` names the data in it.
 */
export function priceTableFrom(data: unknown, origin: string, base: PriceTable = DEFAULT_PRICES): PriceTable {
  const { entries, problems } = parseEntries(data);
  if (problems.length > 0) throw new PriceTableError(origin, problems);
  const merged = entriesOf(base);
  for (const [key, price] of entries) merged.set(key, price);
  return tableOf(merged, [...base.sources, origin]);
}

function builtIn(): PriceTable {
  const { entries, problems } = parseEntries(PRICE_DATA);
  if (problems.length > 0) throw new PriceTableError('built-in (prices-data.ts)', problems);
  return tableOf(entries, [`built-in (as of ${String(PRICE_DATA._as_of)})`]);
}

export const DEFAULT_PRICES: PriceTable = builtIn();

/**
 * The built-in table, or with `path` the built-in table overridden and extended by that JSON file.
 * Throws a PriceTableError naming the file and every problem in it (unreadable, not JSON, bad entries).
 */
export function loadPriceTable(path?: string): PriceTable {
  if (path === undefined) return DEFAULT_PRICES;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PriceTableError(path, [`cannot read the file: ${err instanceof Error ? err.message : String(err)}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (err) {
    throw new PriceTableError(path, [`not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return priceTableFrom(data, path);
}

const PROVIDER_PREFIX = /^(?:(?:us|eu|apac|global|us-gov)\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai)\./;
/** Suffixes that name a version of the same priced model: Bedrock `:0`, `-v2`, Vertex `@20241022`, dates, `-001`, `-latest`. */
const VERSION_SUFFIXES = [/:\d+$/, /-v\d+$/, /@[\w.-]*$/, /-\d{4}-\d{2}-\d{2}$/, /-\d{8}$/, /-\d{3}$/, /-latest$/];

/** The ids to try for `model`, most specific first. */
export function modelCandidates(model: string): string[] {
  let id = model.trim().toLowerCase();
  const out = [id];
  const push = (next: string): void => {
    if (next !== id && next !== '') out.push((id = next));
  };
  push(id.slice(id.lastIndexOf('/') + 1));
  push(id.replace(PROVIDER_PREFIX, ''));
  for (let i = 0; i < out.length + VERSION_SUFFIXES.length; i++) {
    const re = VERSION_SUFFIXES.find((s) => s.test(id) && id.replace(s, '') !== '');
    if (!re) break;
    push(id.replace(re, ''));
  }
  return out;
}

/** The price of `model`: exact id, then stripped ids (see modelCandidates), then the longest `prefix*` entry. */
export function priceFor(model: string, table: PriceTable): { inputPerMTok: number; outputPerMTok: number } | null {
  if (typeof model !== 'string' || model.trim() === '') return null;
  const candidates = modelCandidates(model);
  for (const id of candidates) {
    const price = table.exact.get(id);
    if (price) return { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok };
  }
  for (const id of candidates) {
    const entry = table.prefixes.find((p) => id.startsWith(p.prefix));
    if (entry) return { inputPerMTok: entry.price.inputPerMTok, outputPerMTok: entry.price.outputPerMTok };
  }
  return null;
}
