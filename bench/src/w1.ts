/**
 * `npm run bench:w1` — the W1 workload: a project of N runs (nested ~20-key configs of mixed types, tags,
 * groups, 10 metrics × 3 steps with their summaries) ingested through OTLP/HTTP into the embedded stack
 * (chDB + PGlite, receiver with the run registry, wired as `mlrun serve` wires them), then the run list's
 * queries timed over real HTTP: p50/p95/max against the budget (ARCHITECTURE §6: p95 ≤ 100 ms at 100k
 * runs; the first target was 200 ms at 10k), and the same queries straight through @mlrun/storage.
 *
 * Flags: --runs 10000,100000 (each size in a fresh temp data dir), --iterations N (50 per query),
 * --warmup N (5), --concurrency N (4 senders), --runs-per-request N (500), --seed N (1),
 * --optimize (OPTIMIZE … FINAL the runs mirror and metric_summaries before measuring),
 * --keep-dir (leave the data dir for scratch SQL; printed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startQueryServer } from '@mlrun/query';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import type { ClickHouse } from '@mlrun/storage';
import { createClickHouse, createObjectStore, createPostgres, migrate, migratePostgres, RunRegistryWriter } from '@mlrun/storage';
import { pino } from 'pino';
import { fmt } from './stats.js';
import type { Batch } from './w1-send.js';
import { sendAll } from './w1-send.js';
import { encodeRuns, METRIC_KEYS, STEPS } from './w1-runs.js';
import type { HttpTiming, StorageTiming } from './w1-queries.js';
import { getList, measureHttp, measureStorage, QUERIES } from './w1-queries.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000,100000' },
    iterations: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '4' },
    'runs-per-request': { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    optimize: { type: 'boolean', default: false },
    'keep-dir': { type: 'boolean', default: false },
  },
});
const SIZES = (flags.runs ?? '').split(',').map(Number);
const ITERATIONS = Number(flags.iterations);
const WARMUP = Number(flags.warmup);
const CONCURRENCY = Number(flags.concurrency);
const PER_REQUEST = Number(flags['runs-per-request']);
const SEED = Number(flags.seed);
const PROJECT = 'w1';
const CRASH_AFTER_MS = 5 * 60_000;
const logger = pino({ level: 'warn' });
const log = (line: string): boolean => process.stderr.write(`${line}\n`);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The run list budget: p95 ≤ 100 ms at 100k runs (ARCHITECTURE §6); the first target, 200 ms at 10k. */
const targetMs = (runs: number): number => (runs <= 10_000 ? 200 : 100);

function encodeAll(runs: number): { batches: Batch[]; seconds: number; bytes: number; records: number } {
  const t0 = performance.now();
  const batches: Batch[] = [];
  let bytes = 0;
  let records = 0;
  for (let from = 0; from < runs; from += PER_REQUEST) {
    const to = Math.min(runs, from + PER_REQUEST);
    const encoded = encodeRuns(PROJECT, SEED, from, to);
    bytes += encoded.bytes.byteLength;
    records += encoded.records;
    batches.push({ bytes: encoded.bytes, runs: to - from });
  }
  return { batches, seconds: (performance.now() - t0) / 1000, bytes, records };
}

/** Polls the API until every run is listed and every run has its val_loss summary; returns the polls it took. */
async function waitVisible(api: string, runs: number): Promise<number> {
  const t0 = performance.now();
  const base = `${api}/api/v1/projects/${PROJECT}/runs?limit=1`;
  const withSummary = `${base}&filter=${encodeURIComponent('summary.val_loss.last != null')}`;
  for (let polls = 1; ; polls++) {
    const [all, summarized] = await Promise.all([getList(base), getList(withSummary)]);
    if (all.total === runs && summarized.total === runs) return polls;
    if (performance.now() - t0 > 300_000) throw new Error(`not visible after 300 s: total ${all.total}, with summaries ${summarized.total}`);
    await sleep(200);
  }
}

async function partsInfo(ch: ClickHouse): Promise<string> {
  const rows = await ch.query<{ table: string; parts: string; rows: string }>({
    sql: `SELECT table, toString(count()) AS parts, toString(sum(rows)) AS rows FROM system.parts
          WHERE database = currentDatabase() AND active AND table IN ('runs', 'metric_summaries') GROUP BY table ORDER BY table`,
    tag: 'bench.w1.parts',
  });
  return rows.map((r) => `${r.table}: ${r.parts} parts, ${int(Number(r.rows))} rows`).join('; ');
}

interface SizeResult {
  readonly runs: number;
  readonly ingest: string[];
  readonly http: HttpTiming[];
  readonly storage: StorageTiming[];
}

async function ingest(httpAddress: string, runs: number, api: string): Promise<string[]> {
  const encoded = encodeAll(runs);
  log(`encoded ${int(runs)} runs into ${encoded.batches.length} requests (${fmt(encoded.bytes / 2 ** 20)} MiB) in ${fmt(encoded.seconds)} s`);
  const t0 = performance.now();
  const sent = await sendAll(`http://${httpAddress}/v1/logs`, encoded.batches, CONCURRENCY, (acked) => {
    const elapsed = (performance.now() - t0) / 1000;
    log(`  ingest: ${int(acked)}/${int(runs)} runs, ${int(acked / elapsed)} runs/s, ${fmt(elapsed)} s`);
  });
  const polls = await waitVisible(api, runs);
  const records = encoded.records;
  return [
    `ingest: ${int(runs)} runs in ${fmt(sent.seconds)} s over OTLP/HTTP (${CONCURRENCY} senders × ${PER_REQUEST} runs/request, ${sent.retries} backpressure retries)`,
    `  = ${int(runs / sent.seconds)} runs/s into the registry (PGlite + the ClickHouse mirror) and ClickHouse (≈${int(records / sent.seconds)} log records/s, ${int((runs * STEPS * METRIC_KEYS.length) / sent.seconds)} metric points/s)`,
    polls === 1
      ? '  every run and its summaries listed by the API at the first check after the last acknowledgement (acknowledged = stored)'
      : `  every run and its summaries listed by the API after ${polls} checks (200 ms apart) after the last acknowledgement`,
  ];
}

async function runSize(runs: number): Promise<SizeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-bench-w1-'));
  log(`\n== W1 with ${int(runs)} runs, data dir ${dataDir}`);
  const [ch, pg] = await Promise.all([createClickHouse({ kind: 'embedded', dataDir }), createPostgres({ kind: 'embedded', dataDir })]);
  await Promise.all([migrate(ch), migratePostgres(pg)]);
  const objects = await createObjectStore({ kind: 'local', dir: join(dataDir, 'artifacts') });
  const registry = new RunRegistryWriter(pg, ch);
  const receiver = await startReceiver({ ...defaultReceiverOptions, grpcPort: 0, httpPort: 0 }, { sink: ch, registry, logger });
  const api = await startQueryServer({ host: '127.0.0.1', port: 0 }, { clickhouse: ch, postgres: pg, objects, registry, logger, version: 'bench', crashAfterMs: CRASH_AFTER_MS });
  try {
    const lines = await ingest(receiver.httpAddress, runs, api.url);
    if (flags.optimize) {
      for (const table of ['runs', 'metric_summaries']) await ch.command({ sql: `OPTIMIZE TABLE ${table} FINAL`, tag: 'bench.w1.optimize' });
    }
    lines.push(`  storage when measured${flags.optimize ? ' (after OPTIMIZE FINAL)' : ''}: ${await partsInfo(ch)}`);
    lines.forEach((line) => log(line));
    // Each query through HTTP, then straight through storage right after, so both see the same machine.
    const http: HttpTiming[] = [];
    const storage: StorageTiming[] = [];
    for (const q of QUERIES) {
      const timing = await measureHttp(api.url, PROJECT, q, WARMUP, ITERATIONS);
      http.push(timing);
      if (!q.total) storage.push(await measureStorage(ch, PROJECT, q, CRASH_AFTER_MS, WARMUP, ITERATIONS));
      log(`  ${q.name}: HTTP p95 ${fmt(timing.ms.p95)} ms`);
    }
    return { runs, ingest: lines, http, storage };
  } finally {
    await api.close();
    await receiver.close();
    await Promise.all([ch.close(), pg.close(), objects.close()]);
    if (flags['keep-dir']) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

function table(result: SizeResult): string[] {
  const target = targetMs(result.runs);
  return [
    `### ${int(result.runs)} runs — HTTP, ${ITERATIONS} requests each after ${WARMUP} warm-up (target p95 ≤ ${target} ms)`,
    '',
    ...result.ingest,
    '',
    '| query | rows | total | p50 ms | p95 ms | max ms | p95 target met |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...result.http.map((h) => `| ${h.query.name} | ${h.rows} | ${h.total === null ? '-' : int(h.total)} | ${fmt(h.ms.p50)} | ${fmt(h.ms.p95)} | ${fmt(h.ms.max)} | ${h.ms.p95 <= target ? 'yes' : '**no**'} |`),
    '',
    'The same queries straight through @mlrun/storage (no HTTP): the page, the count, the page\'s summaries:',
    '',
    '| query | matched | listRuns p50 | p95 | countRuns p50 | p95 | summaries p50 | p95 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...result.storage.map(
      (s) => `| ${s.name} | ${int(s.matched)} | ${fmt(s.list.p50)} | ${fmt(s.list.p95)} | ${fmt(s.count.p50)} | ${fmt(s.count.p95)} | ${fmt(s.summaries.p50)} | ${fmt(s.summaries.p95)} |`,
    ),
    '',
  ];
}

const results: SizeResult[] = [];
for (const runs of SIZES) results.push(await runSize(runs));
const machine = `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
process.stdout.write(`${[machine, '', ...results.flatMap(table)].join('\n')}\n`);
