/**
 * The `mlrun` command line: dispatches to a command and maps outcomes to exit codes. `bin/mlrun.js` passes
 * in argv and the environment; nothing here reads them from `process` itself.
 */
import { readFileSync } from 'node:fs';
import { wantsHelp } from './args.js';
import { ConfigError, loadConfig, type Env } from './config.js';
import { ExitCode } from './exit-codes.js';
import { printErr, printOut } from './output.js';
import { globalUsage, serveUsage } from './usage.js';

/** Resolves with the exit code; for `serve`, only once the server has stopped. */
export async function main(argv: readonly string[], env: Env): Promise<number> {
  const [command, ...rest] = argv;
  const version = readVersion();
  if (command === '--help' || command === '-h' || command === 'help') {
    printOut(globalUsage(version));
    return ExitCode.ok;
  }
  if (command === '--version' || command === '-v') {
    printOut(version);
    return ExitCode.ok;
  }
  if (command !== 'serve' && command !== 'query') {
    printErr(command === undefined ? 'mlrun: missing command' : `mlrun: unknown command '${command}'`);
    printErr(globalUsage(version));
    return ExitCode.usage;
  }
  if (wantsHelp(rest)) {
    printOut(serveUsage(command));
    return ExitCode.ok;
  }
  try {
    const config = loadConfig({ argv: rest, env });
    // Loaded only now, so `--help` and config errors never pay for chDB, gRPC and fastify.
    const { serve } = await import('./serve.js');
    return await serve(config, version, command === 'serve' ? 'all' : 'query');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printErr(`mlrun ${command}: ${error.message}`);
    printErr(`Run 'mlrun ${command} --help' for every flag and environment variable.`);
    return ExitCode.usage;
  }
}

function readVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}
