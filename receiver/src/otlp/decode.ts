/**
 * OTLP request decoding: bytes in, a typed request out, or a precise reason it could not be decoded.
 * Pure: no I/O, no logging; transports map a failure to HTTP 400 / gRPC INVALID_ARGUMENT.
 */
import type {
  IExportLogsServiceRequest,
  IExportMetricsServiceRequest,
  IExportTraceServiceRequest,
} from '@mlrun/proto';
import {
  createReader,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
} from '@mlrun/proto';
import { normalizeJsonIds } from './json-ids.js';

export type Signal = 'traces' | 'metrics' | 'logs';
export type Encoding = 'protobuf' | 'json';

export interface RequestOf {
  traces: IExportTraceServiceRequest;
  metrics: IExportMetricsServiceRequest;
  logs: IExportLogsServiceRequest;
}

export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

interface Codec<T> {
  decode(reader: ReturnType<typeof createReader>): T;
  fromObject(object: Record<string, unknown>): T;
}

const CODECS: { [S in Signal]: Codec<RequestOf[S]> } = {
  traces: ExportTraceServiceRequest,
  metrics: ExportMetricsServiceRequest,
  logs: ExportLogsServiceRequest,
};

export function decodeRequest<S extends Signal>(signal: S, body: Uint8Array, encoding: Encoding): DecodeResult<RequestOf[S]> {
  const codec = CODECS[signal] as Codec<RequestOf[S]>;
  return encoding === 'protobuf' ? decodeProtobuf(codec, body) : decodeJson(signal, codec, body);
}

function decodeProtobuf<T>(codec: Codec<T>, body: Uint8Array): DecodeResult<T> {
  try {
    return { ok: true, value: codec.decode(createReader(body)) };
  } catch (error) {
    return { ok: false, error: `invalid protobuf: ${messageOf(error)}` };
  }
}

function decodeJson<T>(signal: Signal, codec: Codec<T>, body: Uint8Array): DecodeResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${messageOf(error)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: 'invalid OTLP/JSON: the request body must be a JSON object' };
  }
  const idError = normalizeJsonIds(signal, parsed as Record<string, unknown>);
  if (idError) return { ok: false, error: `invalid OTLP/JSON: ${idError}` };
  try {
    return { ok: true, value: codec.fromObject(parsed as Record<string, unknown>) };
  } catch (error) {
    return { ok: false, error: `invalid OTLP/JSON: ${messageOf(error)}` };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
