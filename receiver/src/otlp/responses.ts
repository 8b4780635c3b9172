/**
 * Encoding of OTLP answers: Export*ServiceResponse (with `partial_success` when items were rejected or
 * there is a warning) and google.rpc.Status error bodies, in the encoding of the request. Pure.
 */
import {
  Any,
  Duration,
  ExportLogsServiceResponse,
  ExportMetricsServiceResponse,
  ExportTraceServiceResponse,
  Long,
  RetryInfo,
  RpcStatus,
} from '@mlrun/proto';
import type { Encoding, Signal } from './decode.js';

/** google.rpc.Code values used on both transports. */
export const RpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

const REJECTED_FIELD = { traces: 'rejectedSpans', metrics: 'rejectedDataPoints', logs: 'rejectedLogRecords' } as const;

export interface Accepted {
  readonly rejected: number;
  readonly message: string;
}

function responseObject(signal: Signal, accepted: Accepted): Record<string, unknown> {
  if (accepted.rejected === 0 && accepted.message === '') return {};
  return { partialSuccess: { [REJECTED_FIELD[signal]]: accepted.rejected, errorMessage: accepted.message } };
}

/** The success answer to an export request. */
export function encodeExportResponse(signal: Signal, accepted: Accepted, encoding: Encoding): Uint8Array | string {
  const object = responseObject(signal, accepted);
  if (encoding === 'json') {
    const partial = object.partialSuccess as Record<string, unknown> | undefined;
    if (partial) partial[REJECTED_FIELD[signal]] = String(accepted.rejected);
    return JSON.stringify(object);
  }
  switch (signal) {
    case 'traces':
      return ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject(object)).finish();
    case 'metrics':
      return ExportMetricsServiceResponse.encode(ExportMetricsServiceResponse.fromObject(object)).finish();
    case 'logs':
      return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(object)).finish();
  }
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/** A google.rpc.Status message, with RetryInfo when the client should come back after a delay. */
export function statusMessage(code: number, message: string, retryAfterSeconds?: number): RpcStatus {
  const details =
    retryAfterSeconds === undefined
      ? []
      : [
          Any.create({
            typeUrl: RETRY_INFO_TYPE,
            value: RetryInfo.encode(RetryInfo.create({ retryDelay: Duration.create({ seconds: Long.fromNumber(retryAfterSeconds), nanos: 0 }) })).finish(),
          }),
        ];
  return RpcStatus.create({ code, message, details });
}

/** A google.rpc.Status error body in the request's encoding. */
export function encodeStatus(status: RpcStatus, encoding: Encoding): Uint8Array | string {
  if (encoding === 'protobuf') return RpcStatus.encode(status).finish();
  return JSON.stringify(RpcStatus.toObject(status, { longs: String, enums: Number, bytes: String, json: true }));
}
