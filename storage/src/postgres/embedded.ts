/**
 * Embedded Postgres: PGlite with its data in `<dataDir>/postgres`, by default on a worker thread
 * (./worker-backend.ts) so its synchronous WASM work stays off the main event loop; `inProcess: true` runs
 * it on the calling thread instead (./pglite.ts). Both return the same values and behave the same: one
 * statement at a time, and a transaction holds PGlite until it ends, so code inside `transaction` must use
 * the transaction's own `query`, never the client's.
 */
import type { Backend } from './backend.js';
import { openPglite } from './pglite.js';
import { openWorker } from './worker-backend.js';

export interface EmbeddedPostgresOptions {
  readonly kind: 'embedded';
  /** The mlrun data directory; PGlite keeps its files in `<dataDir>/postgres`. */
  readonly dataDir: string;
  /**
   * Run PGlite on the calling thread (default false: on a worker thread). Every statement then blocks the
   * event loop while it runs; for tests comparing both and benchmarks.
   */
  readonly inProcess?: boolean;
}

export function openEmbedded(options: EmbeddedPostgresOptions): Promise<Backend> {
  return options.inProcess === true ? openPglite(options.dataDir) : openWorker(options.dataDir);
}
