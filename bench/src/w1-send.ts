/**
 * W1's OTLP/HTTP client: a few concurrent senders drain a list of pre-encoded requests, honouring the
 * receiver's backpressure (429/503 + Retry-After: wait, then send the same request again — what an OTel
 * exporter does), and report progress while they go.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Batch {
  readonly bytes: Uint8Array;
  /** Runs in this request. */
  readonly runs: number;
}

export interface SendResult {
  readonly seconds: number;
  /** Requests answered 429/503 and sent again. */
  readonly retries: number;
}

const RETRYABLE = new Set([429, 503]);

async function post(url: string, batch: Batch): Promise<{ ok: true } | { ok: false; waitMs: number }> {
  const response = await fetch(url, { method: 'POST', body: batch.bytes, headers: { 'content-type': 'application/x-protobuf' } });
  await response.arrayBuffer();
  if (response.status === 200) return { ok: true };
  if (RETRYABLE.has(response.status)) {
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    return { ok: false, waitMs: (Number.isFinite(seconds) ? seconds : 1) * 1000 };
  }
  throw new Error(`POST ${url}: HTTP ${response.status}`);
}

/** Sends every batch to `url` (…/v1/logs) with `concurrency` senders; `progress` gets runs acknowledged so far. */
export async function sendAll(url: string, batches: readonly Batch[], concurrency: number, progress: (runsAcked: number) => void): Promise<SendResult> {
  let next = 0;
  let acked = 0;
  let retries = 0;
  const started = performance.now();
  const timer = setInterval(() => progress(acked), 2000);
  const sender = async (): Promise<void> => {
    for (let i = next++; i < batches.length; i = next++) {
      const batch = batches[i] as Batch;
      for (;;) {
        const answer = await post(url, batch);
        if (answer.ok) break;
        retries++;
        await sleep(answer.waitMs);
      }
      acked += batch.runs;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, sender));
  } finally {
    clearInterval(timer);
  }
  progress(acked);
  return { seconds: (performance.now() - started) / 1000, retries };
}
