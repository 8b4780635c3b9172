/**
 * The UI bench's data: the W1 run population (w1-runs) sent over OTLP/HTTP exactly as `bench:w1` sends it,
 * and one long run, `chart-run`, of 20 metric keys × N steps as `mlrun.metrics` history rows (payloads.ts),
 * started and finished by its own events. Each waits until the API shows everything it sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportLogsServiceRequest, Long } from '@mlrun/proto';
import { metricsPayload } from './payloads.js';
import { fmt } from './stats.js';
import { getList } from './w1-queries.js';
import { encodeRuns } from './w1-runs.js';
import type { Batch } from './w1-send.js';
import { sendAll } from './w1-send.js';

export const PROJECT = 'bench';
export const CHART_RUN = 'chart-run';
/** The 20 metric keys of `chart-run`: no '/', so the run page shows them in one section. */
export const CHART_KEYS = [
  'loss', 'val_loss', 'acc', 'val_acc', 'lr', 'grad_norm', 'tokens_per_s', 'gpu_mem', 'epoch', 'throughput',
  'precision', 'recall', 'f1', 'auc', 'weight_decay', 'momentum', 'data_time', 'step_time', 'mem_reserved', 'loss_scale',
] as const;
const CONCURRENCY = 4;
const RUNS_PER_REQUEST = 500;
const STEPS_PER_REQUEST = 5000;
const SEED = 1;
const WAIT_LIMIT_MS = 300_000;

const log = (line: string): boolean => process.stderr.write(`${line}\n`);
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Sends runs [0, runs) of the W1 population to project `bench`; waits until the API lists them with summaries. */
export async function ingestRuns(otlpHttp: string, api: string, runs: number): Promise<string> {
  const batches: Batch[] = [];
  for (let from = 0; from < runs; from += RUNS_PER_REQUEST) {
    const to = Math.min(runs, from + RUNS_PER_REQUEST);
    batches.push({ bytes: encodeRuns(PROJECT, SEED, from, to).bytes, runs: to - from });
  }
  const t0 = performance.now();
  const sent = await sendAll(`http://${otlpHttp}/v1/logs`, batches, CONCURRENCY, (acked) => {
    const elapsed = (performance.now() - t0) / 1000;
    log(`  ingest: ${int(acked)}/${int(runs)} runs, ${int(acked / elapsed)} runs/s, ${fmt(elapsed)} s`);
  });
  const polls = await waitRunsVisible(api, runs);
  return `ingest: ${int(runs)} runs in ${fmt(sent.seconds)} s (${int(runs / sent.seconds)} runs/s, ${sent.retries} backpressure retries), listed with summaries after ${polls} check(s)`;
}

/** w1's waitVisible for project `bench`: every run listed, every run with its val_loss summary. */
async function waitRunsVisible(api: string, runs: number): Promise<number> {
  const t0 = performance.now();
  const base = `${api}/api/v1/projects/${PROJECT}/runs?limit=1&total=true`;
  const withSummary = `${base}&filter=${encodeURIComponent('summary.val_loss.last != null')}`;
  for (let polls = 1; ; polls++) {
    const [all, summarized] = await Promise.all([getList(base), getList(withSummary)]);
    if (all.total === runs && summarized.total === runs) return polls;
    if (performance.now() - t0 > WAIT_LIMIT_MS) throw new Error(`runs not visible after 300 s: total ${all.total}, with summaries ${summarized.total}`);
    await sleep(200);
  }
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const nanos = (ms: number): Long => Long.fromString((BigInt(Math.round(ms)) * 1_000_000n).toString(), true);

/** `mlrun.run.start` or `mlrun.run.end` of `chart-run`, as one OTLP/protobuf request. */
function lifecycle(event: 'start' | 'end', atMs: number): Batch {
  const attributes = event === 'start' ? [str('mlrun.run.name', CHART_RUN)] : [str('mlrun.run.status', 'finished')];
  const request = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'bench-trainer'), str('mlrun.project', PROJECT), str('mlrun.run.id', CHART_RUN)] },
        scopeLogs: [{ scope: { name: 'mlrun', version: '0.1.0' }, logRecords: [{ timeUnixNano: nanos(atMs), eventName: `mlrun.run.${event}`, attributes }] }],
      },
    ],
  });
  return { bytes: ExportLogsServiceRequest.encode(request).finish(), runs: 0 };
}

/** `chart-run`: start, 20 keys × `steps` history rows, end; waits until every key has `steps` points. */
export async function ingestChartRun(otlpHttp: string, api: string, steps: number): Promise<string> {
  const url = `http://${otlpHttp}/v1/logs`;
  await sendAll(url, [lifecycle('start', Date.now() - 1000)], 1, () => undefined);
  // Batch.runs counts history rows here, so the progress line reads in steps.
  const batches: Batch[] = [];
  for (let from = 0; from < steps; from += STEPS_PER_REQUEST) {
    const rows = Math.min(STEPS_PER_REQUEST, steps - from);
    batches.push({ bytes: metricsPayload(PROJECT, CHART_RUN, from, rows, undefined, CHART_KEYS).bytes, runs: rows });
  }
  const t0 = performance.now();
  const sent = await sendAll(url, batches, CONCURRENCY, (acked) => log(`  chart-run: ${int(acked)}/${int(steps)} steps, ${fmt((performance.now() - t0) / 1000)} s`));
  await sendAll(url, [lifecycle('end', Date.now() + STEPS_PER_REQUEST + 1000)], 1, () => undefined);
  const polls = await waitChartVisible(api, steps);
  const points = steps * CHART_KEYS.length;
  return `chart-run: ${int(points)} points (${CHART_KEYS.length} keys × ${int(steps)} steps) in ${fmt(sent.seconds)} s, all counted by the API after ${polls} check(s)`;
}

interface MetricsBody {
  metrics: { key: string; count: number }[];
}

async function waitChartVisible(api: string, steps: number): Promise<number> {
  const t0 = performance.now();
  const url = `${api}/api/v1/projects/${PROJECT}/runs/${CHART_RUN}/metrics`;
  for (let polls = 1; ; polls++) {
    const response = await fetch(url);
    const body = response.status === 200 ? ((await response.json()) as MetricsBody) : { metrics: [] };
    const full = body.metrics.filter((m) => m.count === steps).length;
    if (full === CHART_KEYS.length && body.metrics.length === CHART_KEYS.length) return polls;
    if (performance.now() - t0 > WAIT_LIMIT_MS) throw new Error(`chart-run not visible after 300 s: ${full}/${CHART_KEYS.length} keys with ${steps} points (HTTP ${response.status})`);
    await sleep(200);
  }
}
