/**
 * `npm run bench:traces` — the trace explorer's reads at scale, over real HTTP against the embedded stack
 * (chDB + PGlite, receiver with the run registry, query API, wired as `mlrun serve` wires them):
 * - ingest a 100,101-span trace (root → 100 → 10 → 99), a 1,011-span trace (10 → 10 → 9) and ~1M spans of
 *   agent traces (20 spans each, ~50k traces over the last 7 days, ~10 GenAI attributes per span) through
 *   OTLP/HTTP protobuf;
 * - time p50/p95/max of: the 100k trace's first tree page (target p95 ≤ 300 ms), the whole 1k trace in one
 *   page (every level), children pages, span detail, and trace search over the 1M spans with attribute
 *   filters (target p95 ≤ 200 ms), sessions and stats.
 *
 * Flags: --spans N (1000000), --per-trace N (20), --iterations N (30), --warmup N (3), --concurrency N (4),
 * --spans-per-request N (10000), --keep-dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ClickHouse } from '@mlrun/storage';
import { agentTracesPayload } from './payloads.js';
import { startStack } from './stack.js';
import { fmt } from './stats.js';
import type { TreeTrace } from './trace-tree.js';
import { treeTrace } from './trace-tree.js';
import type { QueryTiming, TraceQuery } from './traces-queries.js';
import { firstCursor, listed, measure, treeNodes } from './traces-queries.js';
import type { Batch } from './w1-send.js';
import { sendAll } from './w1-send.js';

const { values: flags } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    'per-trace': { type: 'string', default: '20' },
    iterations: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    'spans-per-request': { type: 'string', default: '10000' },
    'keep-dir': { type: 'boolean', default: false },
  },
});
const PER_TRACE = Number(flags['per-trace']);
const PER_REQUEST = Math.floor(Number(flags['spans-per-request']) / PER_TRACE) * PER_TRACE;
const SPANS = Math.floor(Number(flags.spans) / PER_REQUEST) * PER_REQUEST;
const PROJECT = 'bench-traces';
const DAY_MS = 86_400_000;
const log = (line: string): boolean => process.stderr.write(`${line}\n`);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

interface Encoded {
  readonly batches: Batch[];
  readonly big: TreeTrace;
  readonly small: TreeTrace;
  readonly spans: number;
}

function encode(now: number): Encoded {
  const t0 = performance.now();
  const traces = SPANS / PER_TRACE;
  const gapMs = (7 * DAY_MS) / traces;
  const batches: Batch[] = [];
  for (let first = 0, b = 0; first < SPANS; first += PER_REQUEST, b++) {
    const p = agentTracesPayload(PROJECT, `bench-run-${b % 20}`, first, PER_REQUEST, PER_TRACE, now - 7 * DAY_MS, gapMs);
    batches.push({ bytes: p.bytes, runs: p.items });
  }
  const big = treeTrace(PROJECT, [100, 10, 99], now - 3_600_000);
  const small = treeTrace(PROJECT, [10, 10, 9], now - 1_800_000);
  for (const p of [...big.requests, ...small.requests]) batches.push({ bytes: p.bytes, runs: p.items });
  const spans = SPANS + big.spans + small.spans;
  const bytes = batches.reduce((n, b) => n + b.bytes.byteLength, 0);
  log(`encoded ${int(spans)} spans (${int(traces + 2)} traces) into ${batches.length} requests, ${fmt(bytes / 2 ** 20)} MiB, in ${fmt((performance.now() - t0) / 1000)} s`);
  return { batches, big, small, spans };
}

function queries(e: Encoded, cursor: string): TraceQuery[] {
  const big = `/traces/${e.big.traceId}`;
  const f = (filter: string) => encodeURIComponent(filter);
  return [
    { name: '100k-span trace: first tree page (depth 2)', path: big, targetMs: 300, rows: treeNodes, expectRows: 101 },
    { name: '1k-span trace: whole tree, every level (depth 20, limit 1000)', path: `/traces/${e.small.traceId}?depth=20&limit=1000`, rows: treeNodes, expectRows: e.small.spans },
    { name: '100k trace: children page of a child (10)', path: `${big}/spans/${e.big.childId}/children`, rows: listed('children'), expectRows: 10 },
    { name: '100k trace: children page of a grandchild (99)', path: `${big}/spans/${e.big.grandchildId}/children`, rows: listed('children'), expectRows: 99 },
    { name: '100k trace: span detail', path: `${big}/spans/${e.big.grandchildId}`, rows: () => 1 },
    { name: 'search: newest 50 of ~50k traces', path: '/traces', rows: listed('traces'), expectRows: 50 },
    { name: 'search: second page (cursor)', path: `/traces?cursor=${cursor}`, rows: listed('traces'), expectRows: 50 },
    {
      // A different span each time (an LLM span: index ≡ 0 mod 3), so no request reuses what the last one cached.
      name: 'search: attr filter, one span of 1M matches (a new one each request)',
      path: (i) => `/traces?filter=${f(`attr.gen_ai.response.id = "chatcmpl-${Math.floor((SPANS * (0.05 + 0.9 * ((i * 0.618) % 1))) / 3) * 3}"`)}`,
      targetMs: 200,
      rows: listed('traces'),
      expectRows: 1,
    },
    { name: 'search: attr filter, one span of 1M matches (the same each request)', path: `/traces?filter=${f(`attr.gen_ai.response.id = "chatcmpl-${Math.floor((SPANS * 0.777) / 3) * 3}"`)}`, targetMs: 200, rows: listed('traces'), expectRows: 1 },
    { name: 'search: attr filter, 1 span in 15 matches', path: `/traces?filter=${f('attr.session.id = "session-3"')}`, targetMs: 200, rows: listed('traces'), expectRows: 50 },
    { name: 'search: numeric attr filter + status', path: `/traces?filter=${f('attr.gen_ai.usage.input_tokens > 1000 and status = "error"')}`, targetMs: 200, rows: listed('traces'), expectRows: 50 },
    { name: 'search: attr filter, last 24 h', path: `/traces?from=${new Date(Date.now() - DAY_MS).toISOString()}&filter=${f('attr.session.id = "session-3"')}`, targetMs: 200, rows: listed('traces'), expectRows: 50 },
    { name: 'search: a conversation (25 traces of 50k)', path: `/traces?filter=${f('attr.gen_ai.conversation.id = "conv-1234"')}`, targetMs: 200, rows: listed('traces'), expectRows: 25 },
    { name: 'search: model and run parameters', path: '/traces?model=gpt-4o-mini-2024-07-18&runId=bench-run-7', rows: listed('traces'), expectRows: 50 },
    { name: 'sessions: first page', path: '/sessions', rows: listed('sessions'), expectRows: 50 },
    { name: 'one session (25 traces)', path: '/sessions/conv-1234', rows: (b) => (b as { traces: unknown[] }).traces.length, expectRows: 25 },
    { name: 'stats: whole project', path: '/traces/stats', rows: (b) => (b as { byModel: unknown[] }).byModel.length },
  ];
}

async function partsInfo(ch: ClickHouse): Promise<string> {
  const rows = await ch.query<{ table: string; parts: string; rows: string; bytes: string }>({
    sql: `SELECT table, toString(count()) AS parts, toString(sum(rows)) AS rows, formatReadableSize(sum(bytes_on_disk)) AS bytes FROM system.parts
          WHERE database = currentDatabase() AND active AND table IN ('spans', 'span_tree', 'trace_summaries') GROUP BY table ORDER BY table`,
    tag: 'bench.traces.parts',
  });
  return rows.map((r) => `${r.table}: ${r.parts} parts, ${int(Number(r.rows))} rows, ${r.bytes}`).join('; ');
}

function table(timings: readonly QueryTiming[], iterations: number, warmup: number): string[] {
  return [
    `HTTP, ${iterations} requests each after ${warmup} warm-up`,
    '',
    '| query | rows | p50 ms | p95 ms | max ms | p95 target |',
    '|---|---:|---:|---:|---:|---|',
    ...timings.map((t) => {
      const target = t.query.targetMs === undefined ? '-' : `≤ ${t.query.targetMs}: ${t.ms.p95 <= t.query.targetMs ? 'met' : '**missed**'}`;
      return `| ${t.query.name} | ${int(t.rows)} | ${fmt(t.ms.p50)} | ${fmt(t.ms.p95)} | ${fmt(t.ms.max)} | ${target} |`;
    }),
  ];
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-bench-traces-'));
  const stack = await startStack(dataDir);
  const ch = stack.clickhouse;
  try {
    const encoded = encode(Date.now());
    const sent = await sendAll(`http://${stack.otlpHttp}/v1/traces`, encoded.batches, Number(flags.concurrency), (acked) => log(`  ingest: ${int(acked)}/${int(encoded.spans)} spans`));
    const ingest = `ingest: ${int(encoded.spans)} spans in ${fmt(sent.seconds)} s over OTLP/HTTP protobuf (${flags.concurrency} senders), ${int(encoded.spans / sent.seconds)} spans/s stored (spans + span_tree + trace_summaries), ${sent.retries} backpressure retries`;
    const parts = `storage when measured: ${await partsInfo(ch)}`;
    log(ingest);
    log(parts);
    const iterations = Number(flags.iterations);
    const warmup = Number(flags.warmup);
    const timings: QueryTiming[] = [];
    for (const q of queries(encoded, await firstCursor(stack.api, PROJECT, '/traces'))) {
      timings.push(await measure(stack.api, PROJECT, q, warmup, iterations));
      log(`  ${q.name}: p95 ${fmt(timings.at(-1)?.ms.p95 ?? NaN)} ms`);
    }
    const machine = `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    process.stdout.write(`${[machine, ingest, parts, '', ...table(timings, iterations, warmup)].join('\n')}\n`);
  } finally {
    await stack.close();
    if (flags['keep-dir']) log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
