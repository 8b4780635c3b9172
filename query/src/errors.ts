/**
 * The query API's closed catalogue of coded errors, mapped to HTTP in one place. Details of 5xx errors
 * are logged, never sent to clients.
 */
import { STATUS_CODES } from 'node:http';
import createError from '@fastify/error';
import { StatementTimeout } from '@mlrun/storage';
import type { FastifyInstance } from 'fastify';
import type { SpaFallback } from './routes/ui.js';

export const BadRequest = createError('MLRUN_ERR_BAD_REQUEST', '%s', 400);
export const NotFound = createError('MLRUN_ERR_NOT_FOUND', '%s', 404);
/** The request contradicts what is stored (an artifact path that is another artifact's folder). */
export const Conflict = createError('MLRUN_ERR_CONFLICT', '%s', 409);
export const PayloadTooLarge = createError('MLRUN_ERR_PAYLOAD_TOO_LARGE', '%s', 413);
export const RangeNotSatisfiable = createError('MLRUN_ERR_RANGE_NOT_SATISFIABLE', '%s', 416);

/** A filter or sort parameter that does not parse; carries where and what was expected. */
export const FilterSyntax = createError<[string]>('MLRUN_ERR_FILTER_SYNTAX', '%s', 400);

export interface ErrorDetails {
  /** The request parameter at fault (`filter`, `sort`, `cursor`, …). */
  readonly parameter: string;
  /** 0-based offset into that parameter's text. */
  readonly position?: number;
  /** What would have been valid there. */
  readonly expected?: string;
}

export interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly error: string;
  readonly message: string;
  readonly details?: ErrorDetails;
}

/** A 400 about one parameter, with where in it the problem is. */
export function filterSyntax(details: ErrorDetails, message: string): Error {
  return Object.assign(new FilterSyntax(`${details.parameter}: ${message}`), { details });
}

/** A 400 about one parameter whose value is well-formed but unusable (an instant out of range). */
export function badParameter(parameter: string, message: string): Error {
  return Object.assign(new BadRequest(`${parameter}: ${message}`), { details: { parameter } });
}

/** `fallback` answers requests no route matched before the JSON 404 (the dashboard's SPA fallback). */
export function registerErrorHandler(app: FastifyInstance, fallback?: SpaFallback): void {
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string; validation?: unknown; details?: ErrorDetails }, request, reply) => {
    if (error instanceof StatementTimeout) {
      request.log.warn({ tag: error.tag, timeoutS: error.timeoutS }, 'query stopped by its time limit');
      const message = `the query took longer than ${error.timeoutS} s and was stopped: narrow the time range or the filter`;
      const body: ErrorBody = { statusCode: 503, code: 'MLRUN_ERR_TIMEOUT', error: 'Service Unavailable', message };
      return reply.code(503).send(body);
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'query API request failed');
      const body: ErrorBody = { statusCode: 500, code: 'MLRUN_ERR_INTERNAL', error: 'Internal Server Error', message: 'internal error' };
      return reply.code(500).send(body);
    }
    const body: ErrorBody = {
      statusCode,
      code: error.validation ? 'MLRUN_ERR_VALIDATION' : (error.code ?? 'MLRUN_ERR_BAD_REQUEST'),
      error: STATUS_CODES[statusCode] ?? 'Bad Request',
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
    return reply.code(statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const answered = fallback?.(request, reply);
    if (answered) return answered;
    const body: ErrorBody = { statusCode: 404, code: 'MLRUN_ERR_NOT_FOUND', error: 'Not Found', message: `no route ${request.method} ${request.url}` };
    return reply.code(404).send(body);
  });
}
