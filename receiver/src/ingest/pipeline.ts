/**
 * The transport-independent ingest path: admit (memory budget) → decode → drop duplicate records (logs
 * carrying `mlrun.record.id`) → map → batch → record the new ids → acknowledge.
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
import type { ReceiverOptions, ReceiverStats, RecordIdLookup, RowSink, RunRegistrySink } from '../options.js';
import { Batcher, TableBatcher } from './batcher.js';
import { estimateRequestMemory, MemoryBudget } from './budget.js';
import type { Admission } from './dedup.js';
import { RecordDedup } from './dedup.js';
import { collectRecordIds, dropRecords } from './record-ids.js';

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
  /** Record-id de-duplication and the writer of `record_ids`; both absent without a lookup. */
  readonly #dedup: RecordDedup | undefined;
  readonly #recordIds: TableBatcher<'record_ids'> | undefined;
  #closed = false;
  #rejectedBusy = 0;

  constructor(
    private readonly options: ReceiverOptions,
    private readonly sink: RowSink,
    private readonly logger: Logger,
    registry?: RunRegistrySink,
    recordIds?: RecordIdLookup,
  ) {
    this.budget = new MemoryBudget(options.memoryBudgetBytes, options.admissionWaitMs);
    if (registry) {
      const batching = { flushRows: options.flushRows, flushIntervalMs: options.flushIntervalMs, maxInFlight: 1 };
      this.#registry = new Batcher('run registry write', async (events) => void (await registry.apply(events)), batching);
    }
    if (recordIds) {
      this.#dedup = new RecordDedup(recordIds, options.recordIdCacheSize);
      // Ids are added when their request's rows are written, and the rows of many requests are written by one
      // insert: a zero interval gathers those requests' ids into one insert without adding a flush interval
      // to the acknowledgement.
      this.#recordIds = new TableBatcher('record_ids', sink, { ...options, flushIntervalMs: 0 });
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
    let admission: Admission | undefined;
    try {
      if (request.signal === 'logs') admission = await this.#dropDuplicates(decoded.value as RequestOf['logs'], context);
    } catch (error) {
      this.logger.error({ err: error }, 'record id lookup failed');
      return this.#unavailable('storage is unavailable; retry later');
    }
    const outcome = mapRequest(request.signal, decoded.value, context);
    try {
      const writes = this.#enqueue(outcome.tables);
      if (this.#registry && outcome.runs.length > 0) writes.push(this.#registry.add(outcome.runs));
      await Promise.all(writes);
    } catch (error) {
      admission?.settle(false);
      this.logger.error({ err: error, signal: request.signal }, 'storage rejected a batch');
      return this.#unavailable('storage is unavailable; retry later');
    }
    if (admission) await this.#storeRecordIds(admission, context);
    return { kind: 'ok', rejected: outcome.rejected, message: outcome.messages.join('; ') };
  }

  /** Removes records whose id is a duplicate; nothing (no lookup, no allocation) when no record has an id. */
  async #dropDuplicates(request: RequestOf['logs'], context: RequestContext): Promise<Admission | undefined> {
    if (!this.#dedup) return undefined;
    const refs = collectRecordIds(request, context);
    if (!refs) return undefined;
    const admission = await this.#dedup.admit(refs);
    if (admission.drop.size > 0) {
      dropRecords(request, admission.drop);
      this.logger.debug({ dropped: admission.drop.size, records: refs.length }, 'dropped log records whose mlrun.record.id was already stored');
    }
    return admission;
  }

  /**
   * After the rows are written (data first: a crash in between lets a retry duplicate; ids first could
   * lose the data). If this insert fails the rows are still stored, so the answer stays success and the
   * ids stay known in memory; only a replay reaching storage later (after a restart) would store them again.
   */
  async #storeRecordIds(admission: Admission, context: RequestContext): Promise<void> {
    if (admission.claimed.length > 0 && this.#recordIds) {
      const rows = admission.claimed.map((ref) => ({ project: ref.project, recordId: ref.id, receivedAt: context.receivedAt }));
      try {
        await this.#recordIds.add(rows);
      } catch (error) {
        this.logger.error({ err: error, ids: rows.length }, 'storing record ids failed; their records are stored, a later replay may duplicate them');
      }
    }
    admission.settle(true);
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
      duplicatesDropped: this.#dedup?.dropped ?? 0,
    };
  }

  /** Refuses new requests and writes everything queued. */
  async close(): Promise<void> {
    this.#closed = true;
    const others = [this.#registry, this.#recordIds].filter((batcher) => batcher !== undefined);
    await Promise.all([...this.#batchers.values(), ...others].map((batcher) => batcher.drain()));
  }
}

function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
