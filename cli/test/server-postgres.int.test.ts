/**
 * Server-mode Postgres through the real `mlrun` binary: `mlrun serve` keeps its run registry in a fresh
 * database on the machine's Postgres (127.0.0.1:5432), OTLP in → the run in that database and in the API;
 * then `mlrun query` alone serves the same runs (no OTLP listeners) from the same storage.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { collect, exited, startCli, waitForLog } from './fixtures/cli-process.js';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const database = `mlrun_cli_${process.pid}_${randomBytes(4).toString('hex')}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>, db = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/${db}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'mlrun-cli-pg-'));
await admin((c) => c.query(`CREATE DATABASE ${database}`));
t.teardown(async () => {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  await rm(dataDir, { recursive: true, force: true });
});

const env = { MLRUN_POSTGRES_URL: `${SERVER}/${database}`, MLRUN_LOG_LEVEL: 'info' };
const ports = ['--otlp-grpc-port', '0', '--otlp-http-port', '0', '--port', '0'];

/** OTLP/JSON, as any OTel SDK's HTTP/JSON exporter sends it. */
function runStart(runId: string): unknown {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('mlrun.project', 'pgproj'), str('mlrun.run.id', runId)] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano: '1800000000000000000',
                eventName: 'mlrun.run.start',
                body: { kvlistValue: { values: [{ key: 'lr', value: { doubleValue: 0.01 } }, { key: 'layers', value: { intValue: '12' } }] } },
                attributes: [str('mlrun.run.name', `name-${runId}`)],
              },
              { timeUnixNano: '1800000000100000000', eventName: 'mlrun.metrics', attributes: [{ key: 'mlrun.step', value: { intValue: '1' } }, { key: 'loss', value: { doubleValue: 0.25 } }] },
            ],
          },
        ],
      },
    ],
  };
}

t.test('mlrun serve: the registry lives in the Postgres server', async (t) => {
  const child = startCli(['serve', '--data-dir', dataDir, ...ports], env);
  t.teardown(() => child.kill('SIGKILL'));
  const out = collect(child);
  const listening = await waitForLog(child, out, 'listening');
  t.match(listening, { registry: `Postgres server ${SERVER}/${database}` });
  const health = (await (await fetch(`${String(listening.api)}/api/v1/health`)).json()) as { storage: { postgres: { kind: string; ok: boolean } } };
  t.match(health.storage.postgres, { ok: true, kind: 'server' });

  const sent = await fetch(`${String(listening.otlpHttp)}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(runStart('srv-1')) });
  t.equal(sent.status, 200, 'OTLP accepted');
  const rows = await admin((c) => c.query<{ id: string; name: string; config: unknown; status: string }>("SELECT id, name, config, status FROM runs WHERE project = 'pgproj'"), database);
  t.same(rows.rows, [{ id: 'srv-1', name: 'name-srv-1', config: { lr: 0.01, layers: 12 }, status: 'running' }], 'acknowledged only once in the server database');

  const list = (await (await fetch(`${String(listening.api)}/api/v1/projects/pgproj/runs?filter=config.layers%20%3D%2012`)).json()) as { runs: Array<{ id: string; summary: Record<string, { last: number }> }>; total: number };
  t.equal(list.total, 1);
  t.same(list.runs.map((r) => [r.id, r.summary.loss?.last]), [['srv-1', 0.25]]);
  child.kill('SIGTERM');
  t.same(await exited(child), { code: 0, signal: null });
});

t.test('mlrun query: the API alone over the same storage, no OTLP listeners', async (t) => {
  const child = startCli(['query', '--data-dir', dataDir, '--port', '0'], env);
  t.teardown(() => child.kill('SIGKILL'));
  const out = collect(child);
  const listening = await waitForLog(child, out, 'listening');
  t.equal(listening.otlpGrpc, undefined, 'no OTLP gRPC listener');
  t.equal(listening.otlpHttp, undefined, 'no OTLP HTTP listener');
  t.match(out.stderr(), 'query API is running (no OTLP receiver in this process)');
  const run = (await (await fetch(`${String(listening.api)}/api/v1/projects/pgproj/runs/srv-1`)).json()) as { name: string; config: unknown };
  t.match(run, { name: 'name-srv-1', config: { lr: 0.01, layers: 12 } });
  const patched = await fetch(`${String(listening.api)}/api/v1/projects/pgproj/runs/srv-1`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ notes: 'edited from mlrun query' }) });
  t.equal(patched.status, 200);
  const rows = await admin((c) => c.query<{ notes: string }>("SELECT notes FROM runs WHERE id = 'srv-1'"), database);
  t.equal(rows.rows[0]?.notes, 'edited from mlrun query');
  child.kill('SIGTERM');
  t.same(await exited(child), { code: 0, signal: null });
});

t.test('mlrun query --help describes the command', async (t) => {
  const child = startCli(['query', '--help']);
  const out = collect(child);
  t.same(await exited(child), { code: 0, signal: null });
  t.match(out.stdout(), /Usage: mlrun query \[flags\]/);
  t.match(out.stdout(), 'MLRUN_POSTGRES_URL');
});
