/**
 * The query API as a fastify plugin tree (house style: `app.ts` builds, `server.ts` listens). Every route
 * declares TypeBox schemas; the OpenAPI document at /api/v1/openapi.json is generated from them, and the
 * dashboard's typed client is generated from that document.
 */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ClickHouse } from '@mlrun/storage';
import type { FastifyBaseLogger } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { registerErrorHandler } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoute } from './routes/openapi.js';
import { runMetricsRoutes } from './routes/run-metrics.js';
import { seriesRoutes } from './routes/series.js';

export interface QueryDeps {
  readonly clickhouse: ClickHouse;
  /** A pino logger (the CLI's); fastify's request logs are children of it. */
  readonly logger: FastifyBaseLogger;
  /** MLRun's version, reported by /api/v1/health and in the OpenAPI document. */
  readonly version: string;
}

export async function buildApp(deps: QueryDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: (request) => request.url === '/api/v1/health' }),
    // Unknown body fields are an error the caller should hear about, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'MLRun query API', version: deps.version, description: 'Runs, metrics, traces and evals stored by MLRun.' },
    },
  });
  registerErrorHandler(app);
  await app.register(healthRoutes, { prefix: '/api/v1', deps });
  await app.register(seriesRoutes, { prefix: '/api/v1', deps });
  await app.register(runMetricsRoutes, { prefix: '/api/v1', deps });
  await app.register(openApiRoute, { prefix: '/api/v1' });
  return app;
}

export type QueryApp = Awaited<ReturnType<typeof buildApp>>;
