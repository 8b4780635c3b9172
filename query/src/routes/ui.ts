/**
 * The dashboard, served next to the API from its static build (`ui/build`): hashed assets under /_app/immutable
 * are cached for a year, everything else revalidates; any other GET that is not an API path and not a file
 * answers index.html, so a deep link such as /projects/p/runs/r reloads into the single-page app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers a request no route matched, or returns false when the SPA should not (API paths, non-GETs). */
export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | false;

/** Serves `dir`; returns the not-found fallback, or undefined when `dir` holds no build. */
export async function registerUi(app: FastifyInstance, dir: string): Promise<SpaFallback | undefined> {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  await app.register(fastifyStatic, {
    root: dir,
    index: ['index.html'],
    // Unknown paths fall through to the not-found handler (below), which answers index.html.
    wildcard: true,
    // The policy is setHeaders' alone (the plugin's own default would send max-age=0 on top of it).
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader('cache-control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    if ((request.method !== 'GET' && request.method !== 'HEAD') || path === '/api' || path.startsWith('/api/')) return false;
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  };
}
