/** Listens: the query API (and, later, the dashboard) on one port. */
import type { QueryDeps } from './app.js';
import { buildApp } from './app.js';

export interface QueryServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface QueryServer {
  /** `http://host:port` actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startQueryServer(options: QueryServerOptions, deps: QueryDeps): Promise<QueryServer> {
  const app = await buildApp(deps);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}
