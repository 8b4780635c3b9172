/**
 * The query API's closed catalogue of coded errors, mapped to HTTP in one place. Details of 5xx errors
 * are logged, never sent to clients.
 */
import createError from '@fastify/error';
import type { FastifyInstance } from 'fastify';

export const BadRequest = createError('MLRUN_ERR_BAD_REQUEST', '%s', 400);

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly error: string;
  readonly message: string;
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string; validation?: unknown }, request, reply) => {
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'query API request failed');
      const body: ErrorBody = { statusCode: 500, code: 'MLRUN_ERR_INTERNAL', error: 'Internal Server Error', message: 'internal error' };
      return reply.code(500).send(body);
    }
    const body: ErrorBody = {
      statusCode,
      code: error.validation ? 'MLRUN_ERR_VALIDATION' : (error.code ?? 'MLRUN_ERR_BAD_REQUEST'),
      error: statusCode === 404 ? 'Not Found' : 'Bad Request',
      message: error.message,
    };
    return reply.code(statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { statusCode: 404, code: 'MLRUN_ERR_NOT_FOUND', error: 'Not Found', message: `no route ${request.method} ${request.url}` };
    return reply.code(404).send(body);
  });
}
