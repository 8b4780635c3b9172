/** The instrumentation scope every span and log record of this package carries. */
export const SCOPE_NAME = '@mlrun/instrumentation';
export const VERSION = '0.1.0';
