/**
 * Embedded Postgres on a worker thread (the default for embedded mode): PGlite runs in ./pglite-worker.ts
 * and this side implements `Backend` by posting requests (./worker-protocol.ts) and resolving them by id,
 * so PGlite's synchronous WASM work never blocks the main event loop (the OTLP ingest path).
 *
 * - Transactions span messages: `begin` holds one open in the worker, each statement of `fn` carries its
 *   `txId`, and the outcome of `fn` sends `commit` or `rollback`; a throw rolls back and rethrows the
 *   original error. Other statements meanwhile wait inside PGlite, as they do in-process.
 * - If the worker dies, every pending call rejects with that failure and every later call fails fast with it.
 * - `close()` (idempotent) refuses new work, lets open transactions finish, closes PGlite in the worker,
 *   then terminates it. The worker is ref'd only while a request is pending, like a socket with a query in
 *   flight: an idle client never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { Backend, Row, Runner } from './backend.js';
import { pgliteDir } from './pglite.js';
import type { Reply, Request, RequestBody } from './worker-protocol.js';
import { errorData, errorFrom } from './worker-protocol.js';

const WORKER_URL = new URL('./pglite-worker.js', import.meta.url);

interface Pending {
  readonly resolve: (rows: Row[]) => void;
  readonly reject: (error: Error) => void;
}

class WorkerBackend implements Backend {
  readonly kind = 'embedded';
  readonly description: string;
  readonly run: Runner = (sql, values) => this.#request({ op: 'run', sql, values, txId: undefined });
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** Transactions begun and not yet ended: their statements are still taken while closing. */
  readonly #open = new Set<number>();
  #nextId = 1;
  /** Set once the worker has failed or exited: every call rejects with it. */
  #gone: Error | undefined;
  /** Set by close(): new statements and transactions reject with it. */
  #closing: Error | undefined;
  #closed: Promise<void> | undefined;

  constructor(dataDir: string, workerUrl: URL) {
    const dir = pgliteDir(dataDir);
    this.description = `pglite (worker thread) ${dir}`;
    this.#worker = new Worker(workerUrl);
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(new Error(`the PGlite worker thread for ${dir} failed: ${error.message}`, { cause: error })));
    this.#worker.on('messageerror', (error) => {
      // A reply that cannot be read belongs to an unknown caller: fail them all rather than leave one hanging.
      this.#fail(new Error(`unreadable reply from the PGlite worker thread for ${dir}: ${error.message}`, { cause: error }));
      void this.#worker.terminate();
    });
    this.#worker.on('exit', (code) => this.#fail(this.#closing ?? new Error(`the PGlite worker thread for ${dir} exited unexpectedly (code ${code})`)));
  }

  async open(dataDir: string): Promise<void> {
    try {
      await this.#request({ op: 'open', dataDir });
    } catch (error) {
      // PGlite's own open errors already say "cannot open"; a worker that died on the way does not.
      const crashed = error === this.#gone;
      await this.close().catch(() => {});
      if (!crashed || !(error instanceof Error)) throw error;
      throw new Error(`postgres: cannot open ${this.description}: ${error.message}`, { cause: error });
    }
  }

  async transaction<T>(fn: (run: Runner) => Promise<T>): Promise<T> {
    const txId = this.#nextId++;
    await this.#request({ op: 'begin', txId });
    this.#open.add(txId);
    const run: Runner = (sql, values) => this.#request({ op: 'run', sql, values, txId });
    let value: T;
    try {
      value = await fn(run);
    } catch (error) {
      // The caller's error is the one to see. A rollback that fails means the worker is broken, and
      // that failure is what the next call reports.
      await this.#end(txId, 'rollback').catch(() => {});
      throw error;
    }
    await this.#end(txId, 'commit');
    return value;
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closing = new Error(`${this.description} is closed`);
    try {
      // Statements already sent, and open transactions, finish first: PGlite's close waits for them.
      if (this.#gone === undefined) await this.#post({ op: 'close' });
    } finally {
      await this.#worker.terminate();
      this.#fail(this.#closing);
    }
  }

  #end(txId: number, op: 'commit' | 'rollback'): Promise<Row[]> {
    const done = this.#request({ op, txId });
    this.#open.delete(txId);
    return done;
  }

  #request(body: RequestBody): Promise<Row[]> {
    if (this.#gone !== undefined) return Promise.reject(this.#gone);
    const inOpenTransaction = 'txId' in body && body.txId !== undefined && this.#open.has(body.txId);
    if (this.#closing !== undefined && !inOpenTransaction) return Promise.reject(this.#closing);
    return this.#post(body);
  }

  #post(body: RequestBody): Promise<Row[]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      try {
        this.#worker.postMessage({ ...body, id } satisfies Request);
      } catch (error) {
        this.#settle({ id, ok: false, error: errorData(error) });
      }
    });
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) pending.resolve(reply.rows);
    else pending.reject(errorFrom(reply.error));
  }

  #fail(error: Error): void {
    this.#gone ??= error;
    for (const pending of this.#pending.values()) pending.reject(this.#gone);
    this.#pending.clear();
  }
}

/**
 * Starts the worker and opens PGlite (creating it on first use, a few seconds) under `<dataDir>/postgres`.
 * `workerUrl` is for tests only: they start the real worker wrapped in one that can be made to die.
 */
export async function openWorker(dataDir: string, workerUrl: URL = WORKER_URL): Promise<Backend> {
  const backend = new WorkerBackend(dataDir, workerUrl);
  await backend.open(dataDir);
  return backend;
}
