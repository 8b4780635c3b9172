/**
 * OTLP/HTTP on fastify: POST /v1/traces, /v1/metrics, /v1/logs with application/x-protobuf or
 * application/json bodies, optionally gzip-compressed. Thin: framing, decompression, content negotiation
 * and status mapping; everything else is the ingest pipeline's.
 */
import cors from '@fastify/cors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import type { IngestPipeline, IngestResult } from '../ingest/pipeline.js';
import type { Encoding, Signal } from '../otlp/decode.js';
import { encodeExportResponse, encodeStatus, RpcCode, statusMessage } from '../otlp/responses.js';
import { decompress } from './decompress.js';

const ROUTES: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };
const CONTENT_TYPES: Record<string, Encoding> = { 'application/x-protobuf': 'protobuf', 'application/json': 'json' };
const EMPTY_BODY = Buffer.alloc(0);
const MEDIA_TYPE: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

export interface HttpOptions {
  readonly maxMessageBytes: number;
}

/** The request's encoding from its Content-Type (parameters such as charset are ignored). */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return CONTENT_TYPES[mediaType];
}

function sendStatus(reply: FastifyReply, httpCode: number, rpcCode: number, message: string, encoding: Encoding, retryAfter?: number) {
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  return reply
    .code(httpCode)
    .type(MEDIA_TYPE[encoding])
    .send(encodeStatus(statusMessage(rpcCode, message, retryAfter), encoding));
}

function sendResult(reply: FastifyReply, signal: Signal, result: IngestResult, encoding: Encoding) {
  switch (result.kind) {
    case 'ok':
      return reply.code(200).type(MEDIA_TYPE[encoding]).send(encodeExportResponse(signal, result, encoding));
    case 'invalid':
      return sendStatus(reply, 400, RpcCode.INVALID_ARGUMENT, result.message, encoding);
    case 'busy':
      return sendStatus(reply, 429, RpcCode.RESOURCE_EXHAUSTED, result.message, encoding, result.retryAfterSeconds);
    case 'unavailable':
      return sendStatus(reply, 503, RpcCode.UNAVAILABLE, result.message, encoding, result.retryAfterSeconds);
  }
}

function projectHeader(request: FastifyRequest): string {
  const value = request.headers['x-mlrun-project'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export async function createHttpServer(pipeline: IngestPipeline, options: HttpOptions, logger: Logger) {
  // Per-request log lines would dominate the log at ingest rates; failures are logged where they happen.
  const app = Fastify({ loggerInstance: logger, bodyLimit: options.maxMessageBytes, logController: new LogController({ disableRequestLogging: true }) });
  await app.register(cors, {
    origin: true,
    methods: ['POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'content-encoding', 'x-mlrun-project', 'authorization', 'x-mlrun-api-key'],
    maxAge: 600,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const encoding = encodingOf(request.headers['content-type']) ?? 'json';
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendStatus(reply, 413, RpcCode.INVALID_ARGUMENT, `request body exceeds the ${options.maxMessageBytes}-byte limit`, encoding);
    }
    if ((error.statusCode ?? 500) < 500) return sendStatus(reply, error.statusCode ?? 400, RpcCode.INVALID_ARGUMENT, error.message, encoding);
    request.log.error({ err: error }, 'OTLP/HTTP request failed');
    return sendStatus(reply, 500, RpcCode.INTERNAL, 'internal error', encoding);
  });
  app.setNotFoundHandler((request, reply) =>
    sendStatus(reply, 404, 5, `no OTLP endpoint at ${request.url}; use /v1/traces, /v1/metrics or /v1/logs`, 'json'),
  );

  for (const [url, signal] of Object.entries(ROUTES)) {
    app.post<{ Body: Buffer | undefined }>(url, async (request, reply) => {
      const encoding = encodingOf(request.headers['content-type']);
      if (!encoding) {
        const got = request.headers['content-type'] ?? 'none';
        return sendStatus(reply, 415, RpcCode.INVALID_ARGUMENT, `unsupported Content-Type ${got}; use application/x-protobuf or application/json`, 'json');
      }
      const raw = request.body ?? EMPTY_BODY;
      const body = await decompress(raw, request.headers['content-encoding'], options.maxMessageBytes);
      if (!body.ok) return sendStatus(reply, body.httpCode, RpcCode.INVALID_ARGUMENT, body.error, encoding);
      const result = await pipeline.ingest({ signal, body: body.value, encoding, projectOverride: projectHeader(request) });
      return sendResult(reply, signal, result, encoding);
    });
    app.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD'],
      url,
      handler: (request, reply) => {
        void reply.header('allow', 'POST, OPTIONS');
        return sendStatus(reply, 405, RpcCode.INVALID_ARGUMENT, `${request.method} is not allowed on ${url}; use POST`, encodingOf(request.headers['content-type']) ?? 'json');
      },
    });
  }
  return app;
}
