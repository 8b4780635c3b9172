/**
 * The HTTP details of serving artifact bytes, as pure functions: Range (RFC 9110 §14), the download's
 * Content-Disposition (RFC 6266 with an RFC 8187 UTF-8 name) and a Content-Type from the file extension.
 */

export type RangeAnswer =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * What to send for a Range header on an object of `size` bytes. One range is honoured; several, another
 * unit, or a malformed header get the whole object (a server may ignore Range). `ifRange` is the request's
 * If-Range: a validator other than the current ETag means the client's copy is stale, so the whole object.
 */
export function parseRange(header: string | undefined, size: number, etag: string, ifRange?: string): RangeAnswer {
  if (header === undefined || (ifRange !== undefined && ifRange !== etag)) return { kind: 'full' };
  const m = SINGLE_RANGE.exec(header.trim());
  if (m === null) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'full' }; // invalid: ignored, per RFC 9110
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/** `attachment` with the path's last segment as the name: ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Types that are safe to label: data, images, documents. Nothing a browser would run as a page (html, svg,
 * xml, js): together with `attachment` and nosniff, an uploaded file never becomes script on our origin.
 */
const TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  jsonl: 'application/jsonl',
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  gz: 'application/gzip',
  zip: 'application/zip',
  tar: 'application/x-tar',
  parquet: 'application/vnd.apache.parquet',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export function contentTypeFor(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? DEFAULT_CONTENT_TYPE : (TYPES[name.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE);
}

/** An opaque list cursor: the last path of a page, base64url. */
export const encodeCursor = (path: string): string => Buffer.from(path, 'utf8').toString('base64url');

/** The path inside a cursor, or null when the text is not one of ours. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const path = Buffer.from(cursor, 'base64url').toString('utf8');
  return path !== '' && encodeCursor(path) === cursor ? path : null;
}
