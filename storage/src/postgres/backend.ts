/**
 * What a Postgres driver must provide to the client: run one piece of SQL with already-serialized
 * parameters, run a function inside a transaction, and close. `values === undefined` means "no
 * parameters": the text goes through the simple query protocol and may hold several statements (the rows
 * of the last one come back); otherwise it is one statement bound through the extended protocol.
 */
export type Row = Record<string, unknown>;

export type Runner = (sql: string, values: ReadonlyArray<string | null> | undefined) => Promise<Row[]>;

export interface Backend {
  readonly kind: 'embedded' | 'server';
  readonly description: string;
  readonly run: Runner;
  transaction<T>(fn: (run: Runner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
