import type { Config } from './config.js';
import { redactUrlPassword } from './secret.js';

interface SystemErrorLike {
  readonly code?: unknown;
  readonly port?: unknown;
  readonly address?: unknown;
}

/** One line saying why `serve` could not start, naming the setting to change when a port is taken. */
export function describeStartupError(error: unknown, config: Config): string {
  const err: SystemErrorLike = typeof error === 'object' && error !== null ? error : {};
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = redactUrlPassword(message.split('\n')[0] ?? '').trim();
  if (err.code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(message)) {
    const port = typeof err.port === 'number' ? err.port : portIn(message);
    const owners = port === undefined ? [] : portOwners(port, config);
    const where = port === undefined ? 'a port' : `port ${port}`;
    const hint = owners.length > 0 ? ` (change ${owners.join(' / ')})` : '';
    return `${where} on ${config.host} is already in use${hint}: ${firstLine}`;
  }
  return firstLine === '' ? 'unknown error' : firstLine;
}

function portIn(message: string): number | undefined {
  const match = /:(\d{1,5})\b/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function portOwners(port: number, config: Config): string[] {
  const owners: [number, string][] = [
    [config.otlp.grpcPort, '--otlp-grpc-port'],
    [config.otlp.httpPort, '--otlp-http-port'],
    [config.port, '--port'],
  ];
  return owners.filter(([p]) => p === port).map(([, flag]) => flag);
}
