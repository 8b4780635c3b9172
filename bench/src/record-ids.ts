/**
 * `npm run bench:record-ids` — the cost of record-id de-duplication (`mlrun.record.id`) on the receiver.
 *
 * One process (receiver + embedded ClickHouse, wired as `mlrun serve` wires them; the senders share its
 * CPU), OTLP/HTTP protobuf, `mlrun.metrics` requests of --records records × 10 keys. Phases, each
 * --requests requests over --concurrency senders:
 *   no ids          records without ids (the plain path);
 *   new ids         every record with a new id (one storage lookup per request, then data, then ids);
 *   replay, cached  the same requests again: every id is in the receiver's memory (dropped, no lookup);
 *   replay, stored  again through a second receiver with no cache, as after a restart (dropped by lookup).
 * Then `knownRecordIds` alone, for --records ids that are all new / all stored: p50/p95 per lookup.
 *
 * Phases are --pause-ms apart (5000), so ClickHouse's background merges of one phase's inserts do not
 * land on the next. The default 100 × 1000 ids fit the receiver's default id cache (100,000).
 *
 * Flags: --requests N (100), --records N (1000), --concurrency N (4), --lookups N (50), --pause-ms N (5000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Receiver } from '@mlrun/receiver';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import type { ClickHouse } from '@mlrun/storage';
import { createClickHouse, knownRecordIds, migrate } from '@mlrun/storage';
import { pino } from 'pino';
import type { Payload } from './payloads.js';
import { metricsPayload } from './payloads.js';
import type { Summary } from './stats.js';
import { fmt, summarize } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '100' },
    records: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
    lookups: { type: 'string', default: '50' },
    'pause-ms': { type: 'string', default: '5000' },
  },
});
const REQUESTS = Number(flags.requests);
const RECORDS = Number(flags.records);
const CONCURRENCY = Number(flags.concurrency);
const LOOKUPS = Number(flags.lookups);
const PAUSE_MS = Number(flags['pause-ms']);
const KEYS_PER_RECORD = 10;

interface Phase {
  readonly name: string;
  readonly recordsPerSecond: number;
  readonly latencyMs: Summary;
  readonly stored: number;
}

async function send(receiver: Receiver, payloads: readonly Payload[]): Promise<{ seconds: number; latencyMs: Summary }> {
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async (w: number): Promise<void> => {
    for (let i = w; i < payloads.length; i += CONCURRENCY) {
      const t0 = performance.now();
      const response = await fetch(`http://${receiver.httpAddress}/v1/logs`, {
        method: 'POST',
        body: (payloads[i] as Payload).bytes,
        headers: { 'content-type': 'application/x-protobuf' },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  return { seconds: (performance.now() - started) / 1000, latencyMs: summarize(latencies) };
}

async function points(ch: ClickHouse, project: string): Promise<number> {
  const rows = await ch.query<{ n: string }>({ sql: 'SELECT count() AS n FROM metric_points WHERE project = {p:String}', params: { p: project }, tag: 'bench' });
  return Number(rows[0]?.n);
}

async function phase(name: string, receiver: Receiver, ch: ClickHouse, project: string, payloads: readonly Payload[]): Promise<Phase> {
  await sleep(PAUSE_MS);
  process.stderr.write(`phase: ${name} ...\n`);
  const { seconds, latencyMs } = await send(receiver, payloads);
  return { name, recordsPerSecond: (payloads.length * RECORDS) / seconds, latencyMs, stored: await points(ch, project) };
}

async function timeLookups(ch: ClickHouse, project: string, ids: (i: number) => string[]): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const batch = ids(i);
    const t0 = performance.now();
    await knownRecordIds(ch, project, batch);
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-bench-ids-'));
  const ch = await createClickHouse({ kind: 'embedded', dataDir });
  await migrate(ch);
  const logger = pino({ level: 'warn' });
  const recordIds = { known: (project: string, ids: readonly string[]) => knownRecordIds(ch, project, ids) };
  const options = { ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 };
  const receiver = await startReceiver(options, { sink: ch, recordIds, logger });
  const pool = (project: string, prefix?: string): Payload[] =>
    Array.from({ length: REQUESTS }, (_, i) => metricsPayload(project, `run-${i % 8}`, i * RECORDS, RECORDS, prefix === undefined ? undefined : `${prefix}-${i % 8}`));
  const plain = pool('ids-none');
  const withIds = pool('ids-new', 'rid');
  const results = [await phase('no ids', receiver, ch, 'ids-none', plain), await phase('new ids', receiver, ch, 'ids-new', withIds)];
  results.push(await phase('replay, cached', receiver, ch, 'ids-new', withIds));
  const cold = await startReceiver({ ...options, recordIdCacheSize: 0 }, { sink: ch, recordIds, logger });
  results.push(await phase('replay, stored', cold, ch, 'ids-new', withIds));
  const stats = { warm: receiver.stats().duplicatesDropped, cold: cold.stats().duplicatesDropped };
  await Promise.all([receiver.close(), cold.close()]);
  const idsOf = (prefix: string, i: number): string[] => Array.from({ length: RECORDS }, (_, k) => `${prefix}-${i % 8}-${i * RECORDS + k}`);
  const missing = await timeLookups(ch, 'ids-new', (i) => idsOf('nope', i));
  const present = await timeLookups(ch, 'ids-new', (i) => idsOf('rid', i));
  const storedIds = await ch.query<{ n: string }>({ sql: 'SELECT count() AS n FROM record_ids', tag: 'bench' });
  await ch.close();
  rmSync(dataDir, { recursive: true, force: true });
  report(results, { missing, present, table: Number(storedIds[0]?.n) }, stats);
}

function report(results: Phase[], lookups: { missing: Summary; present: Summary; table: number }, dropped: { warm: number; cold: number }): void {
  const cpu = cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? '?';
  const lines = [
    `machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${REQUESTS} requests × ${RECORDS} records (× ${KEYS_PER_RECORD} keys), ${CONCURRENCY} senders`,
    '',
    '| phase | records/s | points/s | request p50 ms | request p95 ms | metric_points stored |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${Math.round(r.recordsPerSecond).toLocaleString('en-US')} | ${Math.round(r.recordsPerSecond * KEYS_PER_RECORD).toLocaleString('en-US')} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${r.stored} |`,
    ),
    '',
    `duplicates dropped: ${dropped.warm} by the cached receiver, ${dropped.cold} by the uncached one`,
    `knownRecordIds, ${RECORDS} ids, record_ids holding ${lookups.table} ids: all new p50 ${fmt(lookups.missing.p50)} ms / p95 ${fmt(lookups.missing.p95)} ms; all stored p50 ${fmt(lookups.present.p50)} ms / p95 ${fmt(lookups.present.p95)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
