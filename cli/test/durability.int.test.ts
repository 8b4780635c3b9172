/**
 * Durability: `kill -9` the server in the middle of a stream of exports; after a restart on the same data
 * directory, every span that was acknowledged before the kill is stored, exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClickHouse } from '@mlrun/storage';
import t from 'tap';
import { collect, exited, startCli, waitForLog } from './fixtures/cli-process.js';

const PROJECT = 'durability';
const SPANS_PER_REQUEST = 50;

function request(firstSpan: number): string {
  const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: (firstSpan + i).toString(16).padStart(16, '0'),
    name: 'step',
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(firstSpan + i)),
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'mlrun.project', value: { stringValue: PROJECT } }] }, scopeSpans: [{ spans }] }],
  });
}

function serve(dataDir: string) {
  const child = startCli(['serve', '--data-dir', dataDir, '--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0']);
  const out = collect(child);
  return { child, out };
}

t.test('everything acknowledged before kill -9 is there after restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mlrun-durability-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));

  const first = serve(dataDir);
  t.teardown(() => first.child.kill('SIGKILL'));
  const listening = await waitForLog(first.child, first.out, 'listening');
  const url = `${String(listening.otlpHttp)}/v1/traces`;

  const acknowledged = new Set<string>();
  let next = 1;
  let streaming = true;
  const client = async () => {
    while (streaming) {
      const firstSpan = next;
      next += SPANS_PER_REQUEST;
      try {
        const response = await fetch(url, { method: 'POST', body: request(firstSpan), headers: { 'content-type': 'application/json' } });
        if (response.status === 200) {
          for (let i = 0; i < SPANS_PER_REQUEST; i++) acknowledged.add((firstSpan + i).toString(16).padStart(16, '0'));
        }
      } catch {
        // The connection dies with the server: this request was never acknowledged.
      }
    }
  };
  const clients = Array.from({ length: 4 }, () => client());
  while (acknowledged.size < 40 * SPANS_PER_REQUEST) await sleep(20);
  first.child.kill('SIGKILL');
  const killed = await exited(first.child);
  streaming = false;
  // A 200 is written only after storage accepted the rows, so every 200 counts, even one read after the kill.
  await Promise.all(clients);
  const acknowledgedAtKill = acknowledged;
  t.equal(killed.signal, 'SIGKILL', 'the server was killed mid-stream');
  t.ok(acknowledgedAtKill.size >= 40 * SPANS_PER_REQUEST, `${acknowledgedAtKill.size} spans acknowledged before the kill`);

  const second = serve(dataDir);
  t.teardown(() => second.child.kill('SIGKILL'));
  await waitForLog(second.child, second.out, 'listening');
  second.child.kill('SIGTERM');
  t.same(await exited(second.child), { code: 0, signal: null }, 'the server restarts on the same data and stops cleanly');

  // The server is gone, so this process may open the embedded ClickHouse itself.
  const ch = await createClickHouse({ kind: 'embedded', dataDir });
  try {
    const rows = await ch.query<{ span_id: string; copies: string }>({
      sql: 'SELECT span_id, count() AS copies FROM spans WHERE project = {p:String} GROUP BY span_id',
      params: { p: PROJECT },
      tag: 'test.durability',
    });
    const stored = new Map(rows.map((row) => [row.span_id, Number(row.copies)]));
    const missing = [...acknowledgedAtKill].filter((id) => !stored.has(id));
    t.same(missing, [], 'no acknowledged span is missing');
    t.same(
      rows.filter((row) => row.copies !== '1'),
      [],
      'no span is stored twice',
    );
  } finally {
    await ch.close();
  }
});
