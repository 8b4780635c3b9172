/**
 * Test harness: a real receiver on free ports writing to real embedded ClickHouse (chDB) in a temp dir.
 * chDB binds one data directory per process, so a test file starts one harness and shares it; tests keep
 * apart by using their own project names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse, QueryParams, TableName, TableRows } from '@mlrun/storage';
import { createClickHouse, knownRecordIds, migrate } from '@mlrun/storage';
import { pino } from 'pino';
import type { Receiver, ReceiverOptions, RowSink, RunRegistrySink } from '../../src/index.js';
import { defaultReceiverOptions, startReceiver } from '../../src/index.js';

export interface Harness {
  readonly ch: ClickHouse;
  readonly receiver: Receiver;
  readonly httpUrl: string;
  readonly grpcUrl: string;
  /** Rows of `sql`, with `{name:Type}` parameters. */
  rows<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly receiver?: Partial<ReceiverOptions>;
  /** Wraps the storage sink, e.g. to slow it down. */
  readonly wrapSink?: (sink: RowSink) => RowSink;
  /** Where run registry events go (none by default: they are dropped). */
  readonly registry?: RunRegistrySink;
}

let shared: { ch: ClickHouse; dir: string } | undefined;

async function storage(): Promise<ClickHouse> {
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), 'mlrun-receiver-test-'));
    const ch = await createClickHouse({ kind: 'embedded', dataDir: dir });
    await migrate(ch);
    shared = { ch, dir };
  }
  return shared.ch;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ch = await storage();
  const sink: RowSink = { insert: <T extends TableName>(table: T, rows: readonly TableRows[T][]) => ch.insert(table, rows) };
  const receiver = await startReceiver(
    { ...defaultReceiverOptions, grpcPort: 0, httpPort: 0, ...options.receiver },
    {
      sink: options.wrapSink ? options.wrapSink(sink) : sink,
      registry: options.registry,
      recordIds: { known: (project, ids) => knownRecordIds(ch, project, ids) },
      logger: pino({ level: 'silent' }),
    },
  );
  return {
    ch,
    receiver,
    httpUrl: `http://${receiver.httpAddress}`,
    grpcUrl: `http://${receiver.grpcAddress}`,
    rows: <T>(sql: string, params?: QueryParams) => ch.query<T>({ sql, params: params ?? {}, tag: 'test' }),
    close: () => receiver.close(),
  };
}

/**
 * Closes the shared ClickHouse and opens it again on the same data directory, as a process restart does
 * (close every harness first: they keep the closed client).
 */
export async function reopenStorage(): Promise<void> {
  if (!shared) return;
  await shared.ch.close();
  shared.ch = await createClickHouse({ kind: 'embedded', dataDir: shared.dir });
}

/** Closes the shared ClickHouse and removes its data directory (call from t.teardown once per file). */
export async function closeStorage(): Promise<void> {
  if (!shared) return;
  const { ch, dir } = shared;
  shared = undefined;
  await ch.close();
  rmSync(dir, { recursive: true, force: true });
}

let counter = 0;
/** A project name unique to this test process and call. */
export function uniqueProject(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}
