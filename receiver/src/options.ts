import type { RunEvent, TableName, TableRows } from '@mlrun/storage';
import type { Logger } from 'pino';

/** Where mapped rows go. `@mlrun/storage`'s ClickHouse satisfies it; tests may wrap it (e.g. to slow it). */
export interface RowSink {
  insert<T extends TableName>(table: T, rows: readonly TableRows[T][]): Promise<void>;
}

export interface ReceiverOptions {
  /** Interface both listeners bind to. */
  readonly host: string;
  /** OTLP/gRPC port (4317); 0 picks a free port. */
  readonly grpcPort: number;
  /** OTLP/HTTP port (4318); 0 picks a free port. */
  readonly httpPort: number;
  /** Largest accepted request, measured after decompression (gRPC and HTTP). */
  readonly maxMessageBytes: number;
  /** Memory budget for rows waiting to be written; over it, requests get retryable backpressure. */
  readonly memoryBudgetBytes: number;
  /** How long a request may wait for room in a full budget before it gets backpressure (0: never). */
  readonly admissionWaitMs: number;
  /** A batch is flushed after at most this many milliseconds. */
  readonly flushIntervalMs: number;
  /** A batch is flushed as soon as it holds this many rows. */
  readonly flushRows: number;
  /** Inserts per table that may run at once. */
  readonly maxInFlight: number;
  /** Seconds clients are asked to wait before retrying after backpressure. */
  readonly retryAfterSeconds: number;
  /** Record ids remembered in memory after they were stored, so a quick retry needs no storage lookup. */
  readonly recordIdCacheSize: number;
}

/** Where run registry events go, one batch at a time. `@mlrun/storage`'s RunRegistryWriter satisfies it. */
export interface RunRegistrySink {
  apply(events: readonly RunEvent[]): Promise<unknown>;
}

/**
 * Which `mlrun.record.id`s of a project are already stored (`record_ids`). `@mlrun/storage`'s
 * `knownRecordIds(ch, project, ids)` answers it.
 */
export interface RecordIdLookup {
  known(project: string, ids: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface ReceiverDeps {
  readonly sink: RowSink;
  /**
   * Turns on record-id de-duplication of log records (docs/architecture.md, "Reliability contract"); without
   * it, records carrying `mlrun.record.id` are stored every time they arrive, like any other.
   */
  readonly recordIds?: RecordIdLookup;
  /** The run registry; without one, run events are dropped (the records are still stored in `logs`). */
  readonly registry?: RunRegistrySink;
  readonly logger: Logger;
}

export interface Receiver {
  /** `host:port` actually bound, e.g. `127.0.0.1:4317`. */
  readonly grpcAddress: string;
  readonly httpAddress: string;
  /** Live ingest counters, for health endpoints, logs and tests. */
  stats(): ReceiverStats;
  /** Stops accepting requests, flushes every pending batch, then resolves. */
  close(): Promise<void>;
}

export interface ReceiverStats {
  /** Bytes currently reserved by admitted requests. */
  readonly memoryUsedBytes: number;
  /** Bytes of requests waiting for room in the budget. */
  readonly memoryQueuedBytes: number;
  readonly memoryBudgetBytes: number;
  /** Requests turned away with retryable backpressure since start. */
  readonly rejectedBusy: number;
  /** Log records dropped since start because their `mlrun.record.id` was already stored (or being stored). */
  readonly duplicatesDropped: number;
}

export const defaultReceiverOptions: ReceiverOptions = Object.freeze({
  host: '127.0.0.1',
  grpcPort: 4317,
  httpPort: 4318,
  maxMessageBytes: 64 * 1024 * 1024,
  memoryBudgetBytes: 256 * 1024 * 1024,
  admissionWaitMs: 1_000,
  flushIntervalMs: 100,
  flushRows: 50_000,
  maxInFlight: 2,
  retryAfterSeconds: 1,
  recordIdCacheSize: 100_000,
});
