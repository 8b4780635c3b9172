import { defaultReceiverOptions } from '@mlrun/receiver';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { toReceiverOptions } from '../src/receiver-options.js';

t.test('defaults give the receiver its own defaults', async (t) => {
  t.same(toReceiverOptions(loadConfig({ argv: [], env: {}, cwd: '/tmp' })), defaultReceiverOptions);
});

t.test('settings map onto the receiver options, MiB to bytes', async (t) => {
  const config = loadConfig({
    argv: ['--host', '0.0.0.0', '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--max-message-mb', '8', '--flush-interval-ms', '25'],
    env: { MLRUN_INGEST_MEMORY_MB: '32' },
    cwd: '/tmp',
  });
  const options = toReceiverOptions(config);
  t.same(options, {
    ...defaultReceiverOptions,
    host: '0.0.0.0',
    grpcPort: 0,
    httpPort: 0,
    maxMessageBytes: 8 * 1024 * 1024,
    memoryBudgetBytes: 32 * 1024 * 1024,
    flushIntervalMs: 25,
  });
  t.ok(Object.isFrozen(options));
});
