/** GET /api/v1/health: is storage reachable, and which versions are running. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { QueryDeps } from '../app.js';

const Component = Type.Object({
  ok: Type.Boolean(),
  kind: Type.String({ description: 'embedded or server (ClickHouse, Postgres); local or s3 (artifacts)' }),
  description: Type.String({ description: 'where the data lives (never includes a password)' }),
  error: Type.Optional(Type.String()),
});

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  version: Type.String(),
  storage: Type.Object({ clickhouse: Component, postgres: Component, artifacts: Component }),
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
      const { clickhouse, postgres, objects } = deps;
      const [ch, pg, store] = await Promise.all([clickhouse.ping(), postgres.ping(), objects.ping()]);
      const component = (kind: string, description: string, ping: { ok: true } | { ok: false; error: Error }) => ({
        ok: ping.ok,
        kind,
        description,
        ...(ping.ok ? {} : { error: ping.error.message }),
      });
      const ok = ch.ok && pg.ok && store.ok;
      const body = {
        status: ok ? ('ok' as const) : ('unavailable' as const),
        version: deps.version,
        storage: {
          clickhouse: component(clickhouse.kind, clickhouse.description, ch),
          postgres: component(postgres.kind, postgres.description, pg),
          artifacts: component(objects.kind, objects.description, store),
        },
      };
      return reply.code(ok ? 200 : 503).send(body);
    },
  );
  done();
};
