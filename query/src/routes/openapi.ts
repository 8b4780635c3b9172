/** GET /api/v1/openapi.json: the OpenAPI 3.1 document generated from every route's schema. */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';

export const openApiRoute: FastifyPluginCallbackTypebox = (app, _options, done) => {
  app.get('/openapi.json', { schema: { hide: true } }, (_request, reply) => reply.send(app.swagger()));
  done();
};
