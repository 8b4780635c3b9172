/**
 * A run from TypeScript: the same `mlrun.*` log events the Python SDK sends (docs/semantic-conventions.md),
 * through an OTel LoggerProvider whose resource names the run. `mlrun.run.start` carries the config as its
 * body, `log()` sends one `mlrun.metrics` record per call (`mlrun.step` + one numeric attribute per metric),
 * `finish()` sends `mlrun.run.end` and flushes. Every record has an `mlrun.record.id`, so a retried export
 * is stored once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { HrTime } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap, Logger } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { toAnyValueMap } from './any-value.js';
import { hostFacts } from './host.js';
import type { Connection } from './otlp.js';
import { logExporter, mlrunResource } from './otlp.js';
import { SCOPE_NAME, VERSION } from './version.js';

export const RUN_STATUSES = ['finished', 'failed', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const DEFAULT_EXIT_CODES: Record<RunStatus, number> = { finished: 0, failed: 1, killed: 130 };
const HEARTBEAT_MS = 60_000;

export interface RunOptions extends Connection {
  readonly project: string;
  /** Unique within the project; default: 16 random hex characters. */
  readonly id?: string;
  /** Display name; default: the id. */
  readonly name?: string;
  readonly group?: string;
  readonly notes?: string;
  readonly tags?: readonly string[];
  /** The run config (hyper-parameters), nested objects welcome. */
  readonly config?: Record<string, unknown>;
  readonly serviceName?: string;
  /** A quiet run sends `mlrun.heartbeat` this often so it does not read as crashed; 0 turns it off. */
  readonly heartbeatMs?: number;
}

export class Run {
  readonly project: string;
  readonly id: string;
  readonly name: string;
  private readonly provider: LoggerProvider;
  private readonly logger: Logger;
  private readonly recordPrefix = randomBytes(6).toString('hex');
  private readonly warned = new Set<string>();
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private sequence = 0;
  private nextStep = 0;
  private lastSent = Date.now();
  private lastStampNs = 0n;
  private finishing: Promise<void> | undefined;

  constructor(options: RunOptions) {
    this.project = options.project;
    this.id = options.id ?? randomUUID().replaceAll('-', '').slice(0, 16);
    this.name = options.name ?? this.id;
    this.provider = new LoggerProvider({
      resource: mlrunResource({ project: this.project, runId: this.id, runName: this.name }, options.serviceName),
      // A log() row may hold many metrics; the SDK's default keeps only 128 attributes per record.
      logRecordLimits: { attributeCountLimit: 100_000 },
      processors: [new BatchLogRecordProcessor({ exporter: logExporter(options) })],
    });
    this.logger = this.provider.getLogger(SCOPE_NAME, VERSION);
    const start: AnyValueMap = { 'mlrun.run.name': this.name, 'mlrun.run.tags': [...(options.tags ?? [])], 'mlrun.run.host': hostFacts() };
    if (options.group !== undefined) start['mlrun.run.group'] = options.group;
    if (options.notes !== undefined) start['mlrun.run.notes'] = options.notes;
    this.send('mlrun.run.start', start, toAnyValueMap(options.config ?? {}));
    const every = options.heartbeatMs ?? HEARTBEAT_MS;
    if (every > 0) {
      this.heartbeat = setInterval(() => this.beat(every), every);
      this.heartbeat.unref();
    }
  }

  get finished(): boolean {
    return this.finishing !== undefined;
  }

  /**
   * One row of metrics at `step` (default: one past the last step logged, from 0). Values that are not
   * numbers (booleans count as 0/1) are left out with a one-time diag warning; NaN and ±Infinity are kept.
   */
  log(values: Readonly<Record<string, number | boolean>>, step?: number): void {
    if (this.finished) return this.warnOnce('<finished>', `log() after finish() is ignored (run ${this.id})`);
    if (step !== undefined && !Number.isSafeInteger(step)) return this.warnOnce('<step>', `step must be an integer, not ${String(step)}: that row is not logged`);
    const attributes: AnyValueMap = {};
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'number') attributes[key] = value;
      else if (typeof value === 'boolean') attributes[key] = value ? 1 : 0;
      else this.warnOnce(key, `${JSON.stringify(key)} is a ${typeof value}, not a number: it is not logged (warned once per key)`);
    }
    const at = step ?? this.nextStep;
    this.nextStep = at + 1;
    this.send('mlrun.metrics', { ...attributes, 'mlrun.step': at });
  }

  /** Deep-merges `patch` into the run's config (`mlrun.run.config`). */
  setConfig(patch: Record<string, unknown>): void {
    this.send('mlrun.run.config', {}, toAnyValueMap(patch));
  }

  /** Explicit summary values (`mlrun.summary`), e.g. `{ best_acc: 0.93 }`; they replace the computed `last`. */
  setSummary(values: Readonly<Record<string, number>>): void {
    this.send('mlrun.summary', { ...values });
  }

  /** Replaces the run's tags. */
  setTags(tags: readonly string[]): void {
    this.send('mlrun.run.config', { 'mlrun.run.tags': [...tags] }, {});
  }

  /** Sends what is queued; resolves when the export finished. */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  /**
   * Ends the run (`mlrun.run.end`) with `status` and an exit code (default 0 / 1 / 130 for finished / failed /
   * killed), then flushes and closes the exporter. Later calls return the first call's promise.
   */
  finish(status: RunStatus = 'finished', exitCode?: number): Promise<void> {
    if (this.finishing) return this.finishing;
    if (!RUN_STATUSES.includes(status)) throw new TypeError(`status must be one of ${RUN_STATUSES.join(', ')}, not ${JSON.stringify(status)}`);
    this.send('mlrun.run.end', { 'mlrun.run.status': status, 'mlrun.run.exit_code': Math.trunc(exitCode ?? DEFAULT_EXIT_CODES[status]) });
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.finishing = this.provider.shutdown();
    return this.finishing;
  }

  private send(eventName: string, attributes: AnyValueMap, body?: AnyValue): void {
    if (this.finished) return;
    this.sequence += 1;
    this.lastSent = Date.now();
    const timestamp = this.stamp();
    this.logger.emit({ eventName, timestamp, observedTimestamp: timestamp, attributes: { ...attributes, 'mlrun.record.id': `${this.recordPrefix}-${this.sequence}` }, body });
  }

  /**
   * The record time, sub-millisecond and strictly increasing within the run: the registry orders a run's
   * events by time, so a start, its config and an end sent in the same millisecond must not tie.
   */
  private stamp(): HrTime {
    let ns = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    if (ns <= this.lastStampNs) ns = this.lastStampNs + 1n;
    this.lastStampNs = ns;
    return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  }

  private beat(every: number): void {
    if (Date.now() - this.lastSent >= every) this.send('mlrun.heartbeat', {});
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    diag.warn(`@mlrun/instrumentation: ${message}`);
  }
}

/** Starts a run: sends `mlrun.run.start` with its config, name, tags and host facts. */
export function startRun(options: RunOptions): Run {
  return new Run(options);
}
