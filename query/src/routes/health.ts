/** GET /api/v1/health: is storage reachable, and which versions are running. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';

const Component = Type.Object({
  ok: Type.Boolean(),
  kind: Type.String({ description: 'embedded or server' }),
  description: Type.String({ description: 'where the data lives (never includes a password)' }),
  error: Type.Optional(Type.String()),
});

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
  storage: Type.Object({ clickhouse: Component }),
});

export const healthRoutes: FastifyPluginCallbackTypebox<{ deps: QueryDeps }> = (app, { deps }, done) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Service health',
        description: 'Checks that storage answers. 200 when everything is reachable, 503 otherwise.',
        tags: ['service'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const { clickhouse } = deps;
      const ping = await clickhouse.ping();
      const body = {
        status: ping.ok ? ('ok' as const) : ('unavailable' as const),
        version: deps.version,
        storage: {
          clickhouse: { ok: ping.ok, kind: clickhouse.kind, description: clickhouse.description, ...(ping.ok ? {} : { error: ping.error.message }) },
        },
      };
      return reply.code(ping.ok ? 200 : 503).send(body);
    },
  );
  done();
};
