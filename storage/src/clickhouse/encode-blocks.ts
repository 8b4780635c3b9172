/**
 * RowBinary for the column groups every telemetry table shares: typed attribute maps, the resource block
 * (resource_* columns) and the scope block (scope_* columns).
 */
import type { AttributeSet, AttributeValue, JsonValue, ResourceBlock, ScopeBlock } from '../rows.js';
import type { RowBinaryWriter } from './row-binary.js';

// Which typed map an attribute lands in, in column order: *_str, *_int, *_float, *_bool, *_json.
const STR = 0;
const INT = 1;
const FLOAT = 2;
const BOOL = 3;
const JSON_ = 4;
const MAP_COUNT = 5;
/** A key repeated later in the set: the later value wins, this one is skipped. */
const SUPERSEDED = 255;
/** Below this many attributes a quadratic duplicate scan beats allocating a Set. */
const SMALL_SET = 24;

let kinds = new Uint8Array(64);
let order = new Uint32Array(64);
const counts = new Uint32Array(MAP_COUNT);

function kindOf(key: string, v: AttributeValue): number {
  switch (typeof v) {
    case 'string':
      return STR;
    case 'bigint':
      return INT;
    case 'number':
      return FLOAT;
    case 'boolean':
      return BOOL;
    default:
      if (v !== null && typeof v === 'object' && typeof v.json === 'string') return JSON_;
      throw new TypeError(`attribute ${JSON.stringify(key)}: unsupported value ${v === null ? 'null' : typeof v}`);
  }
}

/** Writes a value whose kind kindOf() already established. */
function writeValue(w: RowBinaryWriter, kind: number, v: AttributeValue): void {
  if (kind === STR) w.string(v as string);
  else if (kind === INT) w.int64(v as bigint);
  else if (kind === FLOAT) w.float64(v as number);
  else if (kind === BOOL) w.bool(v as boolean);
  else w.string((v as JsonValue).json);
}

function markSuperseded(keys: readonly string[], kinds: Uint8Array, n: number): void {
  if (n <= SMALL_SET) {
    for (let i = 0; i < n - 1; i++) {
      const k = keys[i];
      for (let j = i + 1; j < n; j++) {
        if (keys[j] === k) {
          kinds[i] = SUPERSEDED;
          break;
        }
      }
    }
    return;
  }
  const seen = new Set<string>();
  for (let i = n - 1; i >= 0; i--) {
    const k = keys[i] as string;
    if (seen.has(k)) kinds[i] = SUPERSEDED;
    else seen.add(k);
  }
}

/**
 * The five typed maps (`*_str`, `*_int`, `*_float`, `*_bool`, `*_json`) of one AttributeSet, each as
 * Map(LowCardinality(String), T). The JavaScript type of a value picks its map; for a repeated key only
 * the last value is kept (whatever its type), as the OTLP spec asks of receivers.
 */
export function writeTypedMaps(w: RowBinaryWriter, set: AttributeSet): void {
  const { keys, values } = set;
  const n = keys.length;
  if (values.length !== n) throw new RangeError(`attribute set has ${n} keys but ${values.length} values`);
  if (kinds.length < n) {
    kinds = new Uint8Array(n * 2);
    order = new Uint32Array(n * 2);
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) kinds[i] = kindOf(keys[i] as string, values[i] as AttributeValue);
  if (n > 1) markSuperseded(keys, kinds, n);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] as number;
    if (kind !== SUPERSEDED) counts[kind] = (counts[kind] as number) + 1;
  }
  // Counting sort of the surviving indexes by map, so each map is written in one pass, in key order.
  const next = [0, 0, 0, 0, 0];
  for (let kind = 1; kind < MAP_COUNT; kind++) next[kind] = (next[kind - 1] as number) + (counts[kind - 1] as number);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] as number;
    if (kind !== SUPERSEDED) order[(next[kind] as number)++] = i;
  }
  let j = 0;
  for (let kind = 0; kind < MAP_COUNT; kind++) {
    const end = j + (counts[kind] as number);
    w.varUInt(end - j);
    for (; j < end; j++) {
      const i = order[j] as number;
      w.string(keys[i] as string);
      writeValue(w, kind, values[i] as AttributeValue);
    }
  }
}

/** resource_str … resource_json, resource_dropped_attributes_count, resource_schema_url. */
export function writeResource(w: RowBinaryWriter, r: ResourceBlock): void {
  writeTypedMaps(w, r.attributes);
  w.uint32(r.droppedAttributesCount);
  w.string(r.schemaUrl);
}

/** scope_name, scope_version, scope_attributes, scope_dropped_attributes_count, scope_schema_url. */
export function writeScope(w: RowBinaryWriter, s: ScopeBlock): void {
  w.string(s.name);
  w.string(s.version);
  w.string(s.attributesJson);
  w.uint32(s.droppedAttributesCount);
  w.string(s.schemaUrl);
}

/**
 * Encodes each resource/scope block once per insert and replays its bytes for every further row that
 * shares the object (an OTLP request carries one resource for thousands of rows). Keyed by identity, which
 * is why rows.ts asks callers to treat blocks as immutable.
 */
export class BlockCache {
  readonly #bytes = new Map<object, Buffer>();
  #lastKey: object | undefined;
  #lastBytes: Buffer | undefined;

  write<B extends object>(w: RowBinaryWriter, block: B, encode: (w: RowBinaryWriter, block: B) => void): void {
    if (block === this.#lastKey && this.#lastBytes !== undefined) {
      w.bytes(this.#lastBytes);
      return;
    }
    let bytes = this.#bytes.get(block);
    if (bytes === undefined) {
      const start = w.length;
      encode(w, block);
      bytes = Buffer.from(w.view(start));
      this.#bytes.set(block, bytes);
    } else {
      w.bytes(bytes);
    }
    this.#lastKey = block;
    this.#lastBytes = bytes;
  }
}
