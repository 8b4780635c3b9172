import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * The process logger: JSON lines on stdout (what log shippers expect), ISO timestamps. Secrets are
 * `Secret` values that print as `[redacted]`; the redact paths are a second guard for plain strings.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { pid: process.pid, name: 'mlrun' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', '*.*.password', 'headers.authorization'], censor: '[redacted]' },
  });
}
