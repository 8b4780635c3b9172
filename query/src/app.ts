/**
 * The query API as a fastify plugin tree (house style: `app.ts` builds, `server.ts` listens). Every route
 * declares TypeBox schemas; the OpenAPI document at /api/v1/openapi.json is generated from them, and the
 * dashboard's typed client is generated from that document.
 */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ClickHouse, ObjectStore, Postgres, RunRegistryWriter } from '@mlrun/storage';
import type { FastifyBaseLogger } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { registerErrorHandler } from './errors.js';
import { validatorCompiler } from './validation.js';
import { artifactRoutes } from './routes/artifacts.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoute } from './routes/openapi.js';
import { compareRoutes } from './routes/compare.js';
import { projectRoutes } from './routes/projects.js';
import { runLogsRoutes } from './routes/run-logs.js';
import { runGroupRoutes } from './routes/run-groups.js';
import { runRoutes } from './routes/runs.js';
import { runMetricsRoutes } from './routes/run-metrics.js';
import { seriesRoutes } from './routes/series.js';
import { traceRoutes } from './routes/traces.js';
import { traceSessionRoutes } from './routes/traces-sessions.js';
import { traceSpanRoutes } from './routes/traces-spans.js';
import { registerUi } from './routes/ui.js';
import { SpanNodeSchema } from './traces-api/schemas.js';
import type { PriceTable } from './traces/prices.js';

export interface QueryDeps {
  readonly clickhouse: ClickHouse;
  /** The run registry (PGlite or a server). */
  readonly postgres: Postgres;
  /** Artifact bytes (a local folder or S3). */
  readonly objects: ObjectStore;
  /** Largest artifact a PUT accepts, in bytes (default 10 GiB); larger ones get 413. */
  readonly maxArtifactBytes?: number;
  /** Writes registry edits (PATCH, DELETE) through the same writer as the receiver, mirror included. */
  readonly registry: RunRegistryWriter;
  /** `running` runs silent for longer read as `crashed` (default 5 minutes). */
  readonly crashAfterMs?: number;
  /** A pino logger (the CLI's); fastify's request logs are children of it. */
  readonly logger: FastifyBaseLogger;
  /** MLRun's version, reported by /api/v1/health and in the OpenAPI document. */
  readonly version: string;
  /** The dashboard's static build (`ui/build`), served at / when it holds one. */
  readonly uiDir?: string;
  /** Model prices for span, trace and session costs (default: the built-in table, DEFAULT_PRICES). */
  readonly prices?: PriceTable;
}

export async function buildApp(deps: QueryDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: (request) => request.url === '/api/v1/health' }),
    // Run ids and project names may be up to 256 characters (the route schemas say so); the router's
    // default of 100 would answer longer ones with "no route" instead of the route's own checks.
    routerOptions: { maxParamLength: 1024 },
    // Unknown body fields are an error the caller should hear about, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'MLRun query API', version: deps.version, description: 'Runs, metrics, traces and evals stored by MLRun.' },
    },
    // Shared schemas (the recursive SpanNode) appear under components/schemas by their $id.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.addSchema(SpanNodeSchema);
  app.setValidatorCompiler(validatorCompiler());
  registerErrorHandler(app, deps.uiDir === undefined ? undefined : await registerUi(app, deps.uiDir));
  await app.register(healthRoutes, { prefix: '/api/v1', deps });
  await app.register(seriesRoutes, { prefix: '/api/v1', deps });
  await app.register(runMetricsRoutes, { prefix: '/api/v1', deps });
  await app.register(runLogsRoutes, { prefix: '/api/v1', deps });
  await app.register(projectRoutes, { prefix: '/api/v1', deps });
  await app.register(runRoutes, { prefix: '/api/v1', deps });
  await app.register(runGroupRoutes, { prefix: '/api/v1', deps });
  await app.register(compareRoutes, { prefix: '/api/v1', deps });
  await app.register(artifactRoutes, { prefix: '/api/v1', deps });
  await app.register(traceRoutes, { prefix: '/api/v1', deps });
  await app.register(traceSpanRoutes, { prefix: '/api/v1', deps });
  await app.register(traceSessionRoutes, { prefix: '/api/v1', deps });
  await app.register(openApiRoute, { prefix: '/api/v1' });
  return app;
}

export type QueryApp = Awaited<ReturnType<typeof buildApp>>;
