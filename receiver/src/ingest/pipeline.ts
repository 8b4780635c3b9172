/**
 * The transport-independent ingest path: admit (memory budget) → decode → map → batch → acknowledge.
 * Transports call `ingest` and turn the outcome into an HTTP or gRPC answer; nothing here knows which.
 */
import type { RunEvent, TableName } from '@mlrun/storage';
import type { Logger } from 'pino';
import type { RequestContext } from '../map/attribution.js';
import { mapLogs } from '../map/logs.js';
import { mapMetrics } from '../map/metrics.js';
import type { MapOutcome, TableBatch } from '../map/outcome.js';
import { mapTraces } from '../map/traces.js';
import type { Encoding, RequestOf, Signal } from '../otlp/decode.js';
import { decodeRequest } from '../otlp/decode.js';
import type { ReceiverOptions, ReceiverStats, RowSink, RunRegistrySink } from '../options.js';
import { Batcher, TableBatcher } from './batcher.js';
import { estimateRequestMemory, MemoryBudget } from './budget.js';

/** The answer to one export request, before a transport encodes it. */
export type IngestResult =
  | { readonly kind: 'ok'; readonly rejected: number; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'busy'; readonly message: string; readonly retryAfterSeconds: number }
  | { readonly kind: 'unavailable'; readonly message: string; readonly retryAfterSeconds: number };

export interface IngestRequest {
  readonly signal: Signal;
  readonly body: Uint8Array;
  readonly encoding: Encoding;
  readonly projectOverride: string;
}

const MAPPERS: { [S in Signal]: (request: RequestOf[S], context: RequestContext) => MapOutcome } = {
  traces: mapTraces,
  metrics: mapMetrics,
  logs: mapLogs,
};

/** Maps a decoded request of any signal to rows (pure). */
export function mapRequest<S extends Signal>(signal: S, request: RequestOf[S], context: RequestContext): MapOutcome {
  return MAPPERS[signal](request, context);
}

export class IngestPipeline {
  readonly budget: MemoryBudget;
  readonly #batchers = new Map<TableName, TableBatcher<TableName>>();
  /** One registry write at a time, so a run's events are applied in arrival order. */
  readonly #registry: Batcher<RunEvent> | undefined;
  #closed = false;
  #rejectedBusy = 0;

  constructor(
    private readonly options: ReceiverOptions,
    private readonly sink: RowSink,
    private readonly logger: Logger,
    registry?: RunRegistrySink,
  ) {
    this.budget = new MemoryBudget(options.memoryBudgetBytes, options.admissionWaitMs);
    if (registry) {
      const batching = { flushRows: options.flushRows, flushIntervalMs: options.flushIntervalMs, maxInFlight: 1 };
      this.#registry = new Batcher('run registry write', async (events) => void (await registry.apply(events)), batching);
    }
  }

  async ingest(request: IngestRequest): Promise<IngestResult> {
    if (this.#closed) return this.#unavailable('the receiver is shutting down');
    const reserved = estimateRequestMemory(request.body.byteLength, request.encoding);
    if (!(await this.budget.acquire(reserved))) {
      this.#rejectedBusy++;
      return { kind: 'busy', message: 'ingest memory budget is full; retry later', retryAfterSeconds: this.options.retryAfterSeconds };
    }
    try {
      return await this.#admitted(request);
    } finally {
      this.budget.release(reserved);
    }
  }

  async #admitted<S extends Signal>(request: IngestRequest & { signal: S }): Promise<IngestResult> {
    const decoded = decodeRequest(request.signal, request.body, request.encoding);
    if (!decoded.ok) return { kind: 'invalid', message: decoded.error };
    const context: RequestContext = { projectOverride: request.projectOverride, receivedAt: nowNanos() };
    const outcome = mapRequest(request.signal, decoded.value, context);
    try {
      const writes = this.#enqueue(outcome.tables);
      if (this.#registry && outcome.runs.length > 0) writes.push(this.#registry.add(outcome.runs));
      await Promise.all(writes);
    } catch (error) {
      this.logger.error({ err: error, signal: request.signal }, 'storage rejected a batch');
      return this.#unavailable('storage is unavailable; retry later');
    }
    return { kind: 'ok', rejected: outcome.rejected, message: outcome.messages.join('; ') };
  }

  #enqueue(tables: TableBatch): Promise<void>[] {
    const writes: Promise<void>[] = [];
    for (const [table, rows] of Object.entries(tables) as [TableName, unknown[]][]) {
      if (rows.length === 0) continue;
      writes.push(this.#batcher(table).add(rows as never));
    }
    return writes;
  }

  #batcher(table: TableName): TableBatcher<TableName> {
    let batcher = this.#batchers.get(table);
    if (!batcher) {
      batcher = new TableBatcher(table, this.sink, this.options);
      this.#batchers.set(table, batcher);
    }
    return batcher;
  }

  #unavailable(message: string): IngestResult {
    return { kind: 'unavailable', message, retryAfterSeconds: this.options.retryAfterSeconds };
  }

  stats(): ReceiverStats {
    return {
      memoryUsedBytes: this.budget.used,
      memoryQueuedBytes: this.budget.queued,
      memoryBudgetBytes: this.budget.limit,
      rejectedBusy: this.#rejectedBusy,
    };
  }

  /** Refuses new requests and writes everything queued. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#batchers.values(), ...(this.#registry ? [this.#registry] : [])].map((batcher) => batcher.drain()));
  }
}

function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
