/**
 * `npm run bench:stages` — where ingest time goes, per stage, in one process: decode (protobuf → request),
 * map (request → rows), encode (rows → RowBinary) and insert (RowBinary → embedded ClickHouse), for the
 * same payloads as bench:ingest. Prints µs per item and items/s per stage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableName } from '@mlrun/storage';
import { createClickHouse, encodeRows, migrate } from '@mlrun/storage';
import type { Signal } from '@mlrun/receiver';
import { decodeRequest, mapRequest } from '@mlrun/receiver';
import type { Payload } from './payloads.js';
import { gaugePayload, metricsPayload, spansPayload } from './payloads.js';
import { fmt } from './stats.js';

const ROUNDS = Number(process.argv[2] ?? '20');

interface Timing {
  decode: number;
  map: number;
  encode: number;
  insert: number;
}

async function measure(name: string, signal: Signal, table: TableName, payloads: Payload[], ch: Awaited<ReturnType<typeof createClickHouse>>) {
  const total: Timing = { decode: 0, map: 0, encode: 0, insert: 0 };
  let items = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const payload = payloads[round % payloads.length] as Payload;
    let t0 = performance.now();
    const decoded = decodeRequest(signal, payload.bytes, 'protobuf');
    if (!decoded.ok) throw new Error(decoded.error);
    total.decode += performance.now() - t0;
    t0 = performance.now();
    const outcome = mapRequest(signal, decoded.value, { projectOverride: '', receivedAt: 0n });
    total.map += performance.now() - t0;
    const rows = (outcome.tables[table] ?? []) as never[];
    t0 = performance.now();
    encodeRows(table, rows);
    total.encode += performance.now() - t0;
    t0 = performance.now();
    await ch.insert(table, rows);
    total.insert += performance.now() - t0;
    items += payload.items;
  }
  const line = (stage: keyof Timing) => `| ${name} | ${stage} | ${fmt((total[stage] * 1000) / items, 2)} | ${Math.round(items / (total[stage] / 1000)).toLocaleString('en-US')} |`;
  return (['decode', 'map', 'encode', 'insert'] as const).map(line);
}

const dir = mkdtempSync(join(tmpdir(), 'mlrun-stages-'));
const ch = await createClickHouse({ kind: 'embedded', dataDir: dir });
await migrate(ch);
const lines = ['| payload | stage | µs/item | items/s |', '|---|---|---:|---:|'];
const metrics = Array.from({ length: 4 }, (_, i) => metricsPayload('stages', `run-${i}`, i * 1000, 1000));
const spans = Array.from({ length: 4 }, (_, i) => spansPayload('stages', `run-${i}`, 500));
const gauges = Array.from({ length: 4 }, (_, i) => gaugePayload('stages', `run-${i}`, 10_000));
// Warm up the JIT and ClickHouse before measuring.
await measure('warm-up', 'logs', 'metric_points', metrics, ch);
await measure('warm-up', 'traces', 'spans', spans, ch);
lines.push(...(await measure('metric points (1,000 rows × 10 keys)', 'logs', 'metric_points', metrics, ch)));
lines.push(...(await measure('spans (500, ~10 attributes)', 'traces', 'spans', spans, ch)));
// A Gauge point becomes a metrics_number row and a metric_points row; the insert stage times the latter.
lines.push(...(await measure('gauge points (10,000, 2 attributes)', 'metrics', 'metric_points', gauges, ch)));
await ch.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${lines.join('\n')}\n`);
