/**
 * The dashboard's only way to the server: an openapi-fetch client typed by `schema.d.ts`, which
 * `scripts/openapi.mjs` generates from the query API's OpenAPI document before every build. Errors become an
 * `ApiError` carrying the API's catalogue code, message and details (for a filter error: the parameter and
 * the position to underline).
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

export interface ErrorDetails {
  readonly parameter?: string;
  readonly position?: number;
  readonly expected?: readonly string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const api = createClient<paths>({ baseUrl: typeof location === 'undefined' ? 'http://localhost' : location.origin });

interface ApiErrorBody {
  code?: string;
  message?: string;
  error?: string;
  details?: ErrorDetails;
}

/** The data of a response, or an ApiError (network failures too: status 0). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', `cannot reach the MLRun server (${error instanceof Error ? error.message : String(error)})`);
  }
  const { data: body, error, response } = result;
  if (response.ok && body !== undefined) return body;
  if (response.ok && response.status === 204) return undefined as T;
  const e = (error ?? {}) as ApiErrorBody;
  throw new ApiError(response.status, e.code ?? `HTTP_${response.status}`, e.message ?? e.error ?? response.statusText, e.details ?? {});
}

/** A message for a person: what happened, from an ApiError or anything else thrown. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? error.message : `${error.message} (${error.code}, HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}
