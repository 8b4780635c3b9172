import t from 'tap';
import { shutdownSignal } from '../src/signals.js';

t.test('the first SIGINT/SIGTERM resolves; every later one calls onRepeat', async (t) => {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  t.teardown(() => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      for (const l of process.listeners(name)) if (!before[name].includes(l)) process.off(name, l);
    }
  });
  const repeats: NodeJS.Signals[] = [];
  const first = shutdownSignal((signal) => repeats.push(signal));
  process.emit('SIGTERM', 'SIGTERM');
  t.equal(await first, 'SIGTERM');
  t.same(repeats, [], 'the first signal is not a repeat');
  process.emit('SIGINT', 'SIGINT');
  process.emit('SIGTERM', 'SIGTERM');
  t.same(repeats, ['SIGINT', 'SIGTERM']);
});
