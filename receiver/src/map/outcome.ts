import type { RunEvent, TableName, TableRows } from '@mlrun/storage';

/** Rows per table produced from one OTLP request. */
export type TableBatch = { [T in TableName]?: TableRows[T][] };

/** What mapping one request produced: rows, plus items rejected and warnings for `partial_success`. */
export interface MapOutcome {
  readonly tables: TableBatch;
  /** Run registry events: sightings of run ids and `mlrun.run.*` / `mlrun.summary` records. */
  readonly runs: readonly RunEvent[];
  /** Items (spans, data points, log records) that could not be stored. */
  readonly rejected: number;
  /** Human-readable notes: why items were rejected, or warnings about accepted ones. */
  readonly messages: readonly string[];
}

const MAX_MESSAGES = 5;

/** Collects rejections and warnings while a request is mapped; keeps the first few distinct messages. */
export class Notes {
  rejected = 0;
  readonly messages: string[] = [];

  reject(message: string): void {
    this.rejected++;
    this.note(message);
  }

  note(message: string): void {
    if (this.messages.length < MAX_MESSAGES && !this.messages.includes(message)) this.messages.push(message);
  }
}
