/**
 * `npm run bench:series` — one chart: 10 runs × 1M steps of one metric, downsampled to maxPoints=1000
 * (ARCHITECTURE §6: p95 ≤ 150 ms, ≤ 2,000 points per series). Points are written straight through storage
 * (ingest has its own benchmark); then the full range and zoomed ranges are read repeatedly.
 * Flags: --runs N (10), --steps N (1000000), --repeat N (30).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MetricPointRow } from '@mlrun/storage';
import { createClickHouse, migrate, readSeries } from '@mlrun/storage';
import { fmt, summarize } from './stats.js';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, steps: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '30' } },
});
const RUNS = Number(flags.runs);
const STEPS = Number(flags.steps);
const REPEAT = Number(flags.repeat);
const CHUNK = 200_000;

const dir = mkdtempSync(join(tmpdir(), 'mlrun-bench-series-'));
const ch = await createClickHouse({ kind: 'embedded', dataDir: dir });
await migrate(ch);
const runIds = Array.from({ length: RUNS }, (_, r) => `run-${r}`);
const t0 = performance.now();
for (const [r, runId] of runIds.entries()) {
  for (let start = 0; start < STEPS; start += CHUNK) {
    const rows: MetricPointRow[] = [];
    for (let step = start; step < Math.min(STEPS, start + CHUNK); step++) {
      rows.push({ project: 'bench-series', runId, key: 'loss', labels: '', step: BigInt(step), time: 1_700_000_000_000_000_000n + BigInt(step) * 1_000_000n, value: Math.exp(-step / 2e5) + 0.01 * Math.sin(step + r), source: 1 });
    }
    await ch.insert('metric_points', rows);
  }
}
process.stderr.write(`wrote ${RUNS}×${STEPS} points in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
await ch.command({ sql: 'OPTIMIZE TABLE metric_points FINAL', tag: 'bench.optimize' });

async function measure(label: string, range: { xMin?: number; xMax?: number }) {
  const times: number[] = [];
  let maxPoints = 0;
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    const series = await readSeries(ch, { project: 'bench-series', runIds, keys: ['loss'], xAxis: 'step', maxPoints: 1000, ...range });
    times.push(performance.now() - started);
    maxPoints = Math.max(...series.map((s) => s.buckets.length));
  }
  const s = summarize(times);
  return `| ${label} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.max)} | ${maxPoints} |`;
}

const lines = [
  `${RUNS} runs × ${STEPS.toLocaleString('en-US')} steps, maxPoints 1000, ${REPEAT} queries each`,
  '',
  '| range | p50 ms | p95 ms | max ms | points per series |',
  '|---|---:|---:|---:|---:|',
  await measure('full range', {}),
  await measure('zoom 10%', { xMin: STEPS * 0.45, xMax: STEPS * 0.55 }),
  await measure('zoom 0.1% (raw)', { xMin: STEPS * 0.5, xMax: STEPS * 0.5 + STEPS / 1000 - 1 }),
];
await ch.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${lines.join('\n')}\n`);
