import t from 'tap';
import { settings } from '../src/settings.js';
import { globalUsage, serveUsage } from '../src/usage.js';

t.test('serve help lists every setting with its flag, variable and default', async (t) => {
  const help = serveUsage();
  for (const s of settings) {
    const line = help.split('\n').find((l) => l.includes(` ${s.env} `));
    t.ok(line, `${s.env} is listed`);
    if (s.flag !== undefined) t.match(line, `--${s.flag} `, `${s.env} shows --${s.flag}`);
    if (s.fallback !== undefined && s.fallback !== '') t.match(line, ` ${s.fallback} `, `${s.env} shows its default`);
  }
  t.match(help, '-h, --help');
});

t.test('global help names the command, the version and the exit codes', async (t) => {
  const help = globalUsage('9.9.9');
  t.match(help, 'mlrun 9.9.9');
  t.match(help, 'mlrun serve');
  t.match(help, '2 usage or configuration error');
});
