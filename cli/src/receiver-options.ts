import { defaultReceiverOptions, type ReceiverOptions } from '@mlrun/receiver';
import type { Config } from './config.js';

const MiB = 1024 * 1024;

/** The receiver's options for this configuration; what the CLI does not expose keeps the receiver's default. */
export function toReceiverOptions(config: Config): ReceiverOptions {
  return Object.freeze({
    ...defaultReceiverOptions,
    host: config.host,
    grpcPort: config.otlp.grpcPort,
    httpPort: config.otlp.httpPort,
    maxMessageBytes: config.otlp.maxMessageMb * MiB,
    memoryBudgetBytes: config.ingest.memoryBudgetMb * MiB,
    flushIntervalMs: config.ingest.flushIntervalMs,
  });
}
