import t from 'tap';
import { parseServeArgs, wantsHelp } from '../src/args.js';

t.test('flags take --flag value and --flag=value; the last repeat wins', async (t) => {
  t.same(parseServeArgs(['--port', '1', '--host=::1', '--port=2']), { values: { port: '2', host: '::1' }, help: false, problems: [] });
  t.same(parseServeArgs(['--port=']).values, { port: '' }, 'an explicit empty value is kept for the validator to judge');
});

t.test('a flag followed by another flag is missing its value, and parsing goes on', async (t) => {
  t.same(parseServeArgs(['--port', '--host', 'h', '--otlp-grpc-port']), {
    values: { host: 'h' },
    help: false,
    problems: ['--port: expected a value', '--otlp-grpc-port: expected a value'],
  });
});

t.test('unknown flags, short flags and stray arguments are all reported', async (t) => {
  t.same(parseServeArgs(['-x', '--verbose', 'serve', '--', '--port']).problems, [
    '-x: unknown flag',
    '--verbose: unknown flag',
    "unexpected argument 'serve'",
    "unexpected argument '--port'",
  ]);
});

t.test('help is asked for with -h or --help, whatever else is on the line', async (t) => {
  t.ok(wantsHelp(['-h']));
  t.ok(wantsHelp(['--port', 'nope', '--help', '--bogus']));
  t.notOk(wantsHelp(['--port', '1']));
  t.notOk(wantsHelp(['--', '--help']), 'after -- it is an argument, not a flag');
});
