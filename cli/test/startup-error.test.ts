import t from 'tap';
import { loadConfig } from '../src/config.js';
import { describeStartupError } from '../src/startup-error.js';

const config = loadConfig({ argv: ['--otlp-grpc-port', '5317', '--port', '5000'], env: {}, cwd: '/tmp' });

function systemError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

t.test('a port in use names the port and the setting to change', async (t) => {
  const err = systemError('listen EADDRINUSE: address already in use 127.0.0.1:4318', { code: 'EADDRINUSE', port: 4318, address: '127.0.0.1' });
  t.equal(
    describeStartupError(err, config),
    'port 4318 on 127.0.0.1 is already in use (change --otlp-http-port): listen EADDRINUSE: address already in use 127.0.0.1:4318',
  );
});

t.test('a port in use reported only in the message (gRPC) is still recognised', async (t) => {
  const err = new Error('No address added out of total 1 resolved\nbind 127.0.0.1:5317: EADDRINUSE');
  t.equal(
    describeStartupError(err, config),
    'port 5317 on 127.0.0.1 is already in use (change --otlp-grpc-port): No address added out of total 1 resolved',
  );
  t.equal(describeStartupError(new Error('EADDRINUSE'), config), 'a port on 127.0.0.1 is already in use: EADDRINUSE');
});

t.test('other failures become their first line, passwords masked', async (t) => {
  t.equal(describeStartupError(new Error('migration 0002_logs.sql failed: syntax error\n  at line 3'), config), 'migration 0002_logs.sql failed: syntax error');
  t.equal(describeStartupError(new Error('cannot reach http://u:pw@ch:8123'), config), 'cannot reach http://u:[redacted]@ch:8123');
  t.equal(describeStartupError('plain string', config), 'plain string');
  t.equal(describeStartupError(new Error(''), config), 'unknown error');
});
