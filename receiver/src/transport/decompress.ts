/** Request body decompression with a limit on the decompressed size (OTLP limits apply after it). */
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export type Decompressed = { readonly ok: true; readonly value: Buffer } | { readonly ok: false; readonly httpCode: 400 | 413 | 415; readonly error: string };

export async function decompress(body: Buffer, contentEncoding: string | string[] | undefined, maxBytes: number): Promise<Decompressed> {
  const encoding = (Array.isArray(contentEncoding) ? contentEncoding[0] : contentEncoding)?.trim().toLowerCase() ?? '';
  if (encoding === '' || encoding === 'identity') return { ok: true, value: body };
  const inflateFn = encoding === 'gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : undefined;
  if (!inflateFn) return { ok: false, httpCode: 415, error: `unsupported Content-Encoding ${encoding}; use gzip or none` };
  try {
    return { ok: true, value: await inflateFn(body, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, httpCode: 413, error: `decompressed request body exceeds the ${maxBytes}-byte limit` };
    }
    return { ok: false, httpCode: 400, error: `invalid ${encoding} body: ${(error as Error).message}` };
  }
}
