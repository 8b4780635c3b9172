/**
 * OTLP/gRPC on @grpc/grpc-js: the three collector services' unary Export methods. Messages arrive as raw
 * bytes (grpc-js has already gunzipped them and enforced the size limit) and go through the same ingest
 * pipeline as HTTP; outcomes map to gRPC status codes, with RetryInfo on backpressure.
 */
import type { sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import { LOGS_EXPORT_PATH, METRICS_EXPORT_PATH, RpcStatus, TRACE_EXPORT_PATH } from '@mlrun/proto';
import type { Logger } from 'pino';
import type { IngestPipeline, IngestResult } from '../ingest/pipeline.js';
import type { Signal } from '../otlp/decode.js';
import { encodeExportResponse, statusMessage } from '../otlp/responses.js';

const PATHS: Record<Signal, string> = { traces: TRACE_EXPORT_PATH, metrics: METRICS_EXPORT_PATH, logs: LOGS_EXPORT_PATH };

const identity = (bytes: Buffer): Buffer => bytes;

function serviceFor(signal: Signal): ServiceDefinition {
  return {
    Export: {
      path: PATHS[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

interface GrpcError {
  code: status;
  details: string;
  metadata?: Metadata;
}

/** A status error; with `retryAfterSeconds`, carries google.rpc.RetryInfo in grpc-status-details-bin. */
function grpcError(code: status, message: string, retryAfterSeconds?: number): GrpcError {
  const metadata = new Metadata();
  if (retryAfterSeconds !== undefined) {
    const details = RpcStatus.encode(statusMessage(code, message, retryAfterSeconds)).finish();
    metadata.set('grpc-status-details-bin', Buffer.from(details));
  }
  return { code, details: message, metadata };
}

function answer(signal: Signal, result: IngestResult, callback: sendUnaryData<Buffer>): void {
  switch (result.kind) {
    case 'ok':
      callback(null, Buffer.from(encodeExportResponse(signal, result, 'protobuf') as Uint8Array));
      return;
    case 'invalid':
      callback(grpcError(status.INVALID_ARGUMENT, result.message));
      return;
    case 'busy':
    case 'unavailable':
      // A full budget too: RESOURCE_EXHAUSTED is retryable only with RetryInfo, UNAVAILABLE by every OTLP client.
      callback(grpcError(status.UNAVAILABLE, result.message, result.retryAfterSeconds));
      return;
  }
}

function projectOf(metadata: Metadata): string {
  const value = metadata.get('x-mlrun-project')[0];
  return typeof value === 'string' ? value : '';
}

function handler(signal: Signal, pipeline: IngestPipeline, logger: Logger) {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    const body = call.request;
    pipeline
      .ingest({ signal, body, encoding: 'protobuf', projectOverride: projectOf(call.metadata) })
      .then((result) => answer(signal, result, callback))
      .catch((error: unknown) => {
        logger.error({ err: error, signal }, 'OTLP/gRPC export failed');
        callback(grpcError(status.INTERNAL, 'internal error'));
      });
  };
}

export interface GrpcOptions {
  readonly maxMessageBytes: number;
}

export function createGrpcServer(pipeline: IngestPipeline, options: GrpcOptions, logger: Logger): Server {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const implementation: UntypedServiceImplementation = { Export: handler(signal, pipeline, logger) };
    server.addService(serviceFor(signal), implementation);
  }
  return server;
}

/** Binds `server` and resolves with the port actually bound. */
export function bindGrpc(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
}
