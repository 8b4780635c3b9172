/**
 * Request validation with two Ajv instances. Path and query parameters arrive as text, so they are coerced
 * (`limit=10` → 10); JSON bodies are not: a body that says `"tags": "x"` or `"notes": null` means exactly
 * that, and a wrong type is a 400 rather than a silent conversion (fastify's single default instance
 * coerces both). Unknown body fields are an error, never silently dropped; schema defaults are applied.
 */
import { Ajv } from 'ajv';
import type { Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const COMMON: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };

function create(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  addFormats.default(ajv);
  return ajv;
}

export function validatorCompiler(): FastifySchemaCompiler<object> {
  const bodies = create({ coerceTypes: false });
  const text = create({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : text).compile(schema);
}
