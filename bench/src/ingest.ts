/**
 * `npm run bench:ingest` — OTLP ingest throughput and latency on the embedded default.
 *
 * Starts the target (receiver + embedded ClickHouse) in its own process, then drives it from this one
 * with concurrent clients over OTLP/HTTP (protobuf) and OTLP/gRPC, with pre-encoded realistic payloads.
 * Prints, per phase: items/s acknowledged (acknowledged means stored), request latency p50/p95, and the
 * stored row count checked against what was acknowledged; overall: log→visible latency p50/p95 (send one
 * `mlrun.metrics` record, poll until a query sees it) and the target's peak RSS.
 *
 * Flags: --seconds N (per phase, default 10), --concurrency N (default 4), --flush-interval-ms N (100),
 * --only metrics|spans|metrics,spans (default both), --profile-dir DIR (write the target's V8 CPU profile there).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor, Metadata } from '@grpc/grpc-js';
import { LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from '@mlrun/proto';
import type { Payload } from './payloads.js';
import { metricsPayload, spansPayload } from './payloads.js';
import type { Summary } from './stats.js';
import { fmt, summarize } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    'flush-interval-ms': { type: 'string', default: '100' },
    only: { type: 'string', default: 'metrics,spans' },
    'profile-dir': { type: 'string' },
  },
});
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);

interface Target {
  readonly grpc: string;
  readonly http: string;
  readonly control: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startTarget(dataDir: string): Promise<Target> {
  const script = fileURLToPath(new URL('./target.js', import.meta.url));
  const profile = flags['profile-dir'] ? ['--cpu-prof', '--cpu-prof-dir', flags['profile-dir']] : [];
  const child = spawn(process.execPath, [...profile, script, dataDir, flags['flush-interval-ms'] ?? '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`target exited with ${code}`)));
  });
  const addresses = JSON.parse(line) as { grpc: string; http: string; control: string };
  return {
    ...addresses,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

type Send = (payload: Payload) => Promise<void>;

function httpSender(target: Target, path: string): Send {
  return async (payload) => {
    const response = await fetch(`http://${target.http}${path}`, {
      method: 'POST',
      body: payload.bytes,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  };
}

function grpcSender(target: Target, path: string): Send {
  const Client = makeGenericClientConstructor({}, 'Raw');
  const client = new Client(target.grpc, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 << 20 });
  const identity = (b: Buffer) => b;
  return (payload) =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(path, identity, identity, Buffer.from(payload.bytes), new Metadata(), (error) => (error ? reject(error) : resolve()));
    });
}

interface PhaseResult {
  readonly name: string;
  readonly itemsPerSecond: number;
  readonly latencyMs: Summary;
  readonly acknowledged: number;
  readonly stored: number;
  readonly errors: number;
}

async function count(target: Target, table: 'metric_points' | 'spans', project: string): Promise<number> {
  const response = await fetch(`http://${target.control}/count?table=${table}&project=${encodeURIComponent(project)}`);
  return Number(await response.text());
}

async function runPhase(target: Target, name: string, table: 'metric_points' | 'spans', project: string, payloads: Payload[], send: Send): Promise<PhaseResult> {
  const latencies: number[] = [];
  let acknowledged = 0;
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const worker = async (w: number) => {
    for (let i = w; performance.now() < deadline; i += CONCURRENCY) {
      const payload = payloads[i % payloads.length] as Payload;
      const t0 = performance.now();
      try {
        await send(payload);
        acknowledged += payload.items;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  return { name, itemsPerSecond: acknowledged / elapsed, latencyMs: summarize(latencies), acknowledged, stored: await count(target, table, project), errors };
}

/** Sends one small `mlrun.metrics` record every `everyMs` and measures send → visible to a query. */
function startVisibilityProbe(target: Target, everyMs: number): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const run = `probe-${i}`;
      const payload = metricsPayload('bench-visibility', run, 0, 1);
      const t0 = performance.now();
      await httpSender(target, '/v1/logs')(payload).catch(() => undefined);
      for (;;) {
        const response = await fetch(`http://${target.control}/visible?project=bench-visibility&run=${run}`);
        if (Number(await response.text()) > 0) break;
        await sleep(2);
      }
      samples.push(performance.now() - t0);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}

function pool(make: (i: number) => Payload, size: number): Payload[] {
  return Array.from({ length: size }, (_, i) => make(i));
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mlrun-bench-'));
  const target = await startTarget(dataDir);
  process.stderr.write(`target pid ${target.pid}: OTLP gRPC ${target.grpc}, HTTP ${target.http}; ${SECONDS}s per phase, ${CONCURRENCY} clients\n`);
  // Visibility with the receiver otherwise idle, then under the load of every phase.
  const idleProbe = startVisibilityProbe(target, 50);
  await sleep(3000);
  const idle = summarize(await idleProbe.stop());
  const probe = startVisibilityProbe(target, 200);
  const results: PhaseResult[] = [];
  const phases = [
    { name: 'metric points, HTTP/protobuf', table: 'metric_points', project: 'bench-m-http', send: httpSender(target, '/v1/logs'), kind: 'metrics' },
    { name: 'metric points, gRPC', table: 'metric_points', project: 'bench-m-grpc', send: grpcSender(target, LOGS_EXPORT_PATH), kind: 'metrics' },
    { name: 'spans, HTTP/protobuf', table: 'spans', project: 'bench-s-http', send: httpSender(target, '/v1/traces'), kind: 'spans' },
    { name: 'spans, gRPC', table: 'spans', project: 'bench-s-grpc', send: grpcSender(target, TRACE_EXPORT_PATH), kind: 'spans' },
  ] as const;
  const only = new Set((flags.only ?? '').split(','));
  for (const phase of phases.filter((p) => only.has(p.kind))) {
    const payloads =
      phase.kind === 'metrics'
        ? pool((i) => metricsPayload(phase.project, `run-${i}`, i * 1000, 1000), 16)
        : pool((i) => spansPayload(phase.project, `run-${i}`, 500), 16);
    process.stderr.write(`phase: ${phase.name} ...\n`);
    results.push(await runPhase(target, phase.name, phase.table, phase.project, payloads, phase.send));
  }
  const visible = summarize(await probe.stop());
  const rss = peakRssMb(target.pid);
  await target.stop();
  rmSync(dataDir, { recursive: true, force: true });
  report(results, idle, visible, rss);
}

function report(results: PhaseResult[], idle: Summary, visible: Summary, rssMb: number): void {
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    '',
    '| phase | items/s stored | request p50 ms | request p95 ms | acknowledged | stored | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) => `| ${r.name} | ${Math.round(r.itemsPerSecond).toLocaleString('en-US')} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${r.acknowledged} | ${r.stored} | ${r.errors} |`,
    ),
    '',
    `log → visible, receiver idle: p50 ${fmt(idle.p50)} ms, p95 ${fmt(idle.p95)} ms, max ${fmt(idle.max)} ms (${idle.count} probes)`,
    `log → visible, under the load above: p50 ${fmt(visible.p50)} ms, p95 ${fmt(visible.p95)} ms, max ${fmt(visible.max)} ms (${visible.count} probes)`,
    `receiver peak RSS: ${fmt(rssMb, 0)} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const lost = results.filter((r) => r.stored !== r.acknowledged);
  if (lost.length > 0) {
    process.stderr.write(`MISMATCH: acknowledged ≠ stored for ${lost.map((r) => r.name).join(', ')}\n`);
    process.exitCode = 1;
  }
}

await main();
