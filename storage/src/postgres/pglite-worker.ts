/**
 * The PGlite worker thread: opens PGlite with ./pglite.ts (exactly as in-process mode does) and answers
 * the requests of ./worker-protocol.ts, so PGlite's synchronous WASM work runs here instead of on the main
 * event loop. Requests are handled concurrently and PGlite orders them: a plain `run` that arrives while a
 * transaction is open waits inside PGlite for it to end, while the transaction's own runs (carrying its
 * `txId`) go straight to it, so the transaction can always finish.
 *
 * A transaction is held open across messages by a promise returned from inside PGlite's `transaction`
 * callback; `commit` resolves it (PGlite commits), `rollback` rejects it (PGlite rolls back).
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import type { Backend, Row, Runner } from './backend.js';
import { openPglite } from './pglite.js';
import type { Reply, Request } from './worker-protocol.js';
import { errorData } from './worker-protocol.js';

interface OpenTransaction {
  readonly run: Runner;
  /** Ends the held callback: true commits, false rolls back. */
  readonly end: (commit: boolean) => void;
  /** PGlite's `transaction` promise: settles once COMMIT or ROLLBACK has run. */
  readonly done: Promise<void>;
}

/** Rejects the held callback so PGlite rolls back; recognised (and not reported) when it comes back. */
const ROLLBACK = new Error('rollback requested');

function workerPort(): MessagePort {
  if (parentPort === null) throw new Error('pglite-worker.js runs only as a worker thread (see worker-backend.ts)');
  return parentPort;
}

const port = workerPort();

let backend: Backend | undefined;
const transactions = new Map<number, OpenTransaction>();

function opened(): Backend {
  if (backend === undefined) throw new Error('PGlite is not open in this worker');
  return backend;
}

/** Resolves once BEGIN has run and the transaction is registered under `txId`. */
function begin(db: Backend, txId: number): Promise<void> {
  return new Promise((begun, failed) => {
    let release: (commit: boolean) => void = () => {};
    const held = new Promise<void>((resolve, reject) => {
      release = (commit) => (commit ? resolve() : reject(ROLLBACK));
    });
    const done = db.transaction(async (run) => {
      transactions.set(txId, { run, end: release, done });
      begun();
      await held;
    });
    // Before the callback ran (BEGIN failed) this fails the `begin` request; afterwards it is a no-op.
    done.catch(failed);
  });
}

async function end(txId: number, commit: boolean): Promise<void> {
  const tx = transactions.get(txId);
  if (tx === undefined) throw new Error(`transaction ${txId} is not open`);
  transactions.delete(txId);
  tx.end(commit);
  try {
    await tx.done;
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

function runner(txId: number | undefined): Runner {
  if (txId === undefined) return opened().run;
  const tx = transactions.get(txId);
  if (tx === undefined) throw new Error(`transaction ${txId} is not open (it has already committed or rolled back)`);
  return tx.run;
}

async function answer(request: Request): Promise<Row[]> {
  switch (request.op) {
    case 'open':
      backend = await openPglite(request.dataDir);
      return [];
    case 'run':
      return runner(request.txId)(request.sql, request.values);
    case 'begin':
      await begin(opened(), request.txId);
      return [];
    case 'commit':
    case 'rollback':
      await end(request.txId, request.op === 'commit');
      return [];
    case 'close':
      await backend?.close();
      backend = undefined;
      return [];
  }
}

function reply(message: Reply): void {
  try {
    port.postMessage(message);
  } catch (error) {
    // Rows a structured clone cannot carry (our parsers never produce them): report, never leave a caller waiting.
    port.postMessage({ id: message.id, ok: false, error: errorData(error) } satisfies Reply);
  }
}

port.on('message', (request: Request) => {
  void answer(request).then(
    (rows) => reply({ id: request.id, ok: true, rows }),
    (error: unknown) => reply({ id: request.id, ok: false, error: errorData(error) }),
  );
});
