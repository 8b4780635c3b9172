/**
 * The error handler's mapping of what routes throw: a statement stopped by its time limit is a 503
 * MLRUN_ERR_TIMEOUT that says what to do; coded 4xx errors pass with their details; anything else is a
 * 500 whose message stays in the log.
 */
import { StatementTimeout } from '@mlrun/storage';
import fastify from 'fastify';
import t from 'tap';
import { badParameter, registerErrorHandler } from '../src/errors.js';

async function appThrowing(error: Error) {
  const app = fastify({ logger: false });
  registerErrorHandler(app);
  app.get('/boom', async () => {
    throw error;
  });
  await app.ready();
  return app;
}

t.test('StatementTimeout → 503 MLRUN_ERR_TIMEOUT', async (t) => {
  const app = await appThrowing(new StatementTimeout('traces.search', 10, { cause: new Error('Code: 159') }));
  const response = await app.inject({ method: 'GET', url: '/boom' });
  t.equal(response.statusCode, 503);
  t.same(response.json(), {
    statusCode: 503,
    code: 'MLRUN_ERR_TIMEOUT',
    error: 'Service Unavailable',
    message: 'the query took longer than 10 s and was stopped: narrow the time range or the filter',
  });
});

t.test('a bad parameter → 400 with the parameter; other errors → 500 without their message', async (t) => {
  const bad = await (await appThrowing(badParameter('from', 'out of range'))).inject({ method: 'GET', url: '/boom' });
  t.same([bad.statusCode, bad.json()], [400, { statusCode: 400, code: 'MLRUN_ERR_BAD_REQUEST', error: 'Bad Request', message: 'from: out of range', details: { parameter: 'from' } }]);
  const internal = await (await appThrowing(new Error('secret table name'))).inject({ method: 'GET', url: '/boom' });
  t.same([internal.statusCode, internal.json()], [500, { statusCode: 500, code: 'MLRUN_ERR_INTERNAL', error: 'Internal Server Error', message: 'internal error' }]);
});
