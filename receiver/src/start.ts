/** Starts the OTLP receiver: one ingest pipeline behind a gRPC and an HTTP listener. */
import { IngestPipeline } from './ingest/pipeline.js';
import type { Receiver, ReceiverDeps, ReceiverOptions } from './options.js';
import { bindGrpc, createGrpcServer } from './transport/grpc.js';
import { createHttpServer } from './transport/http.js';

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startReceiver(options: ReceiverOptions, deps: ReceiverDeps): Promise<Receiver> {
  const logger = deps.logger;
  const pipeline = new IngestPipeline(options, deps.sink, logger, deps.registry, deps.recordIds);
  const grpc = createGrpcServer(pipeline, options, logger.child({ transport: 'grpc' }));
  const http = await createHttpServer(pipeline, options, logger.child({ transport: 'http' }));
  let grpcPort: number;
  try {
    grpcPort = await bindGrpc(grpc, options.host, options.grpcPort);
    await http.listen({ host: options.host, port: options.httpPort });
  } catch (error) {
    grpc.forceShutdown();
    await http.close();
    throw error;
  }
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : options.httpPort;
  let closing: Promise<void> | undefined;
  return {
    grpcAddress: `${formatHost(options.host)}:${grpcPort}`,
    httpAddress: `${formatHost(options.host)}:${httpPort}`,
    stats: () => pipeline.stats(),
    close: () =>
      (closing ??= (async () => {
        // Stop accepting, let requests in flight finish (they wait for their batches), then drain the rest.
        await Promise.all([new Promise<void>((resolve) => grpc.tryShutdown(() => resolve())), http.close()]);
        await pipeline.close();
      })()),
  };
}
