/**
 * Batch writers: one per table, and one for run registry events. Rows from many requests are gathered and written in one insert, flushed
 * when the batch holds `flushRows` rows or `flushIntervalMs` after its first row, whichever comes first.
 * Each `add` resolves only once its rows have been accepted by storage (or rejects if the insert failed),
 * so the receiver acknowledges nothing that is not stored. At most `maxInFlight` inserts per table run at
 * once: a second slot lets a small, fresh batch go out beside a large one already being written.
 */
import type { TableName, TableRows } from '@mlrun/storage';
import type { RowSink } from '../options.js';

export interface BatcherOptions {
  readonly flushRows: number;
  readonly flushIntervalMs: number;
  /** Inserts of this table that may run at once; while all are busy, the next batch keeps filling. */
  readonly maxInFlight: number;
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Batch<Row> {
  readonly rows: Row[];
  readonly done: Deferred;
}

export class Batcher<Row> {
  #current: Batch<Row> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #due = false;

  /** `label` names the write in errors (`insert into logs failed`). */
  constructor(
    readonly label: string,
    private readonly write: (rows: Row[]) => Promise<void>,
    private readonly options: BatcherOptions,
  ) {}

  /** Queues rows; resolves when they are written. */
  add(rows: readonly Row[]): Promise<void> {
    const batch = (this.#current ??= { rows: [], done: deferred() });
    for (const row of rows) batch.rows.push(row);
    if (batch.rows.length >= this.options.flushRows) this.#flushSoon();
    else this.#timer ??= setTimeout(() => this.#flushSoon(), this.options.flushIntervalMs);
    return batch.done.promise;
  }

  /** Writes whatever is queued and waits for every insert in flight. */
  async drain(): Promise<void> {
    while (this.#current || this.#inFlight.size > 0) {
      if (this.#current && this.#inFlight.size < this.options.maxInFlight) this.#flushSoon();
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  #flushSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight.size >= this.options.maxInFlight) {
      // Every insert slot is busy: the batch keeps growing and goes out as soon as a slot frees.
      this.#due = true;
      return;
    }
    const batch = this.#current;
    if (!batch) return;
    this.#current = undefined;
    const write = this.#write(batch).finally(() => {
      this.#inFlight.delete(write);
      if (this.#due || (this.#current && this.#current.rows.length >= this.options.flushRows)) {
        this.#due = false;
        this.#flushSoon();
      }
    });
    this.#inFlight.add(write);
  }

  async #write(batch: Batch<Row>): Promise<void> {
    try {
      await this.write(batch.rows);
      batch.done.resolve();
    } catch (error) {
      batch.done.reject(new Error(`${this.label} failed`, { cause: error }));
    }
  }
}

/** The batch writer of one ClickHouse table. */
export class TableBatcher<T extends TableName> extends Batcher<TableRows[T]> {
  constructor(
    readonly table: T,
    sink: RowSink,
    options: BatcherOptions,
  ) {
    super(`insert into ${table}`, (rows) => sink.insert(table, rows), options);
  }
}
