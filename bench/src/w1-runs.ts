/**
 * W1's runs: a deterministic (seeded) population of training runs as the SDK reports them, encoded as raw
 * OTLP/protobuf log requests — one ResourceLogs per run (`mlrun.project`, `mlrun.run.id`), holding the
 * `mlrun.run.start` event (a nested ~20-key config of mixed types, 1–3 tags, one of 50 groups, a name), a
 * few `mlrun.metrics` history rows of 10 keys, and for most runs an `mlrun.run.end`. Run i depends only on
 * i, so any slice of the population can be encoded on its own and every run is reproducible.
 */
import { ExportLogsServiceRequest, Long } from '@mlrun/proto';

export const METRIC_KEYS = ['loss', 'val_loss', 'acc', 'val_acc', 'lr', 'grad_norm', 'throughput', 'gpu_mem', 'epoch_time', 'f1'] as const;
export const TAGS = ['baseline', 'sweep', 'ablation', 'debug', 'augment', 'long', 'v2', 'prod'] as const;
export const GROUPS = 50;
/** History rows (steps) each run logs. */
export const STEPS = 3;
/** Run i was created at T0 + i × SPACING_MS: a month of runs at 100k, newest last. */
const T0 = Date.UTC(2026, 9, 1);
const SPACING_MS = 20_000;

/** mulberry32: small, fast, good enough for synthetic data; seeded per run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

type AnyValue =
  | { stringValue: string }
  | { intValue: Long }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: { key: string; value: AnyValue }[] } };

const s = (v: string): AnyValue => ({ stringValue: v });
const i64 = (v: number): AnyValue => ({ intValue: Long.fromNumber(v) });
const f64 = (v: number): AnyValue => ({ doubleValue: v });
const b = (v: boolean): AnyValue => ({ boolValue: v });
const list = (values: AnyValue[]): AnyValue => ({ arrayValue: { values } });
const kv = (fields: Record<string, AnyValue>): AnyValue => ({ kvlistValue: { values: Object.entries(fields).map(([key, value]) => ({ key, value })) } });
const attr = (key: string, value: AnyValue) => ({ key, value });

function nanos(ms: number): Long {
  return Long.fromString((BigInt(ms) * 1_000_000n).toString(), true);
}

/** The config of run `r`'s generator: 22 leaves, 4 levels of types, a nested optimizer, a list. */
function config(r: () => number): AnyValue {
  const optimizer = pick(r, ['adamw', 'adam', 'sgd', 'lion']);
  return kv({
    model: s(pick(r, ['resnet50', 'resnet101', 'vit-b16', 'vit-l16', 'convnext-t', 'efficientnet-b3'])),
    dataset: s(pick(r, ['imagenet-1k', 'cifar100', 'inat21', 'places365'])),
    batch_size: i64(pick(r, [16, 32, 64, 128, 256])),
    epochs: i64(10 + Math.floor(r() * 90)),
    seed: i64(Math.floor(r() * 1_000_000)),
    layers: i64(pick(r, [18, 34, 50, 101, 152])),
    hidden_dim: i64(pick(r, [256, 512, 768, 1024])),
    dropout: f64(Math.round(r() * 50) / 100),
    use_amp: b(r() < 0.7),
    augment: b(r() < 0.5),
    precision: s(pick(r, ['bf16', 'fp16', 'fp32'])),
    grad_clip: f64(pick(r, [0.5, 1, 5])),
    warmup_steps: i64(pick(r, [0, 500, 1000, 2000])),
    label_smoothing: f64(pick(r, [0, 0.05, 0.1])),
    num_workers: i64(pick(r, [4, 8, 16])),
    layer_sizes: list([i64(64), i64(128), i64(256), i64(pick(r, [512, 1024]))]),
    optimizer: kv({
      name: s(optimizer),
      // Log-uniform over 1e-5..1e-2: the range filter [1e-4, 3e-4) matches ~16% of runs.
      lr: f64(10 ** (-5 + 3 * r())),
      weight_decay: f64(pick(r, [0, 1e-4, 0.01, 0.05])),
      betas: list([f64(0.9), f64(pick(r, [0.98, 0.999]))]),
      scheduler: kv({ name: s(pick(r, ['cosine', 'linear', 'step'])), min_lr: f64(1e-6) }),
    }),
  });
}

function tags(r: () => number): AnyValue {
  const chosen = new Set<string>();
  // "baseline" on ~25% of runs, so a tag filter selects a realistic slice.
  if (r() < 0.25) chosen.add('baseline');
  const more = 1 + Math.floor(r() * 2);
  while (chosen.size < more) chosen.add(pick(r, TAGS.slice(1)));
  return list([...chosen].map(s));
}

type Ending = 'finished' | 'failed' | 'killed' | null;

function ending(r: () => number): Ending {
  const x = r();
  return x < 0.72 ? 'finished' : x < 0.84 ? 'failed' : x < 0.87 ? 'killed' : null;
}

function metricsRecords(r: () => number, startMs: number) {
  // A run's quality: val_loss decays towards it; a spread of final losses to sort by.
  const quality = 0.2 + r() * 1.8;
  return Array.from({ length: STEPS }, (_, step) => {
    const decay = 1 / (step + 1);
    const values: Record<(typeof METRIC_KEYS)[number], number> = {
      loss: quality * 0.9 + decay + r() * 0.05,
      val_loss: quality + decay + r() * 0.05,
      acc: 1 - quality / 2.5 - decay / 10,
      val_acc: 1 - quality / 2.4 - decay / 10,
      lr: 1e-3 * decay,
      grad_norm: 1 + r() * 4,
      throughput: 800 + r() * 400,
      gpu_mem: 20 + r() * 40,
      epoch_time: 300 + r() * 100,
      f1: 0.9 - quality / 3,
    };
    return {
      timeUnixNano: nanos(startMs + 1000 * (step + 1)),
      eventName: 'mlrun.metrics',
      attributes: [attr('mlrun.step', i64(step)), ...METRIC_KEYS.map((key) => attr(key, f64(values[key])))],
    };
  });
}

/** One run's ResourceLogs: start, history rows, and (for most) the end. */
function runLogs(project: string, seed: number, i: number) {
  const r = rng(seed ^ Math.imul(i + 1, 0x9e3779b1));
  const startMs = T0 + i * SPACING_MS;
  const group = `sweep-${String(Math.floor(r() * GROUPS)).padStart(2, '0')}`;
  const start = {
    timeUnixNano: nanos(startMs),
    eventName: 'mlrun.run.start',
    body: config(r),
    attributes: [attr('mlrun.run.name', s(`${group}-run-${i}`)), attr('mlrun.run.group', s(group)), attr('mlrun.run.tags', tags(r))],
  };
  const logRecords: object[] = [start, ...metricsRecords(r, startMs)];
  const end = ending(r);
  if (end !== null) {
    logRecords.push({
      timeUnixNano: nanos(startMs + 1000 * (STEPS + 1)),
      eventName: 'mlrun.run.end',
      attributes: [attr('mlrun.run.status', s(end)), attr('mlrun.run.exit_code', i64(end === 'finished' ? 0 : 1))],
    });
  }
  return {
    resource: { attributes: [attr('service.name', s('w1-trainer')), attr('mlrun.project', s(project)), attr('mlrun.run.id', s(runId(i)))] },
    scopeLogs: [{ scope: { name: 'mlrun', version: '0.1.0' }, logRecords }],
  };
}

/** Zero-padded, so id order is creation order. */
export function runId(i: number): string {
  return `run-${String(i).padStart(7, '0')}`;
}

/** An OTLP/protobuf ExportLogsServiceRequest for runs [from, to) of the population, and its log record count. */
export function encodeRuns(project: string, seed: number, from: number, to: number): { bytes: Uint8Array; records: number } {
  const resourceLogs = [];
  let records = 0;
  for (let i = from; i < to; i++) {
    const logs = runLogs(project, seed, i);
    records += logs.scopeLogs[0]?.logRecords.length ?? 0;
    resourceLogs.push(logs);
  }
  return { bytes: ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject({ resourceLogs })).finish(), records };
}
