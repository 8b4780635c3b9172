import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A string that must never reach a log, an error message or a `--help` screen. Every way of printing it
 * (`String()`, template literals, `JSON.stringify`, `util.inspect`, pino) yields `[redacted]`; only
 * `reveal()` returns the value, and only the code that hands it to a client should call it.
 */
export interface Secret {
  reveal(): string;
  toString(): string;
  toJSON(): string;
}

export function secret(value: string): Secret {
  return Object.freeze({
    reveal: () => value,
    toString: () => REDACTED,
    toJSON: () => REDACTED,
    [inspect.custom]: () => REDACTED,
  });
}

/** Masks the password of `scheme://user:password@host` inside free text, for messages that echo a URL. */
export function redactUrlPassword(text: string): string {
  return text.replace(/(\/\/[^/@:\s]*):[^@/\s]*@/g, `$1:${REDACTED}@`);
}
