/**
 * The benchmark's target process: embedded ClickHouse + the receiver, exactly as `mlrun serve` runs them,
 * plus a small control endpoint the load generator uses to count stored rows and probe visibility
 * (chDB lives in this process, so only this process can query it). Prints one JSON line when ready.
 */
import { createServer } from 'node:http';
import { createClickHouse, knownRecordIds, migrate } from '@mlrun/storage';
import { defaultReceiverOptions, startReceiver } from '@mlrun/receiver';
import { pino } from 'pino';

const [dataDir = '', flushIntervalMs = '100'] = process.argv.slice(2);
const ch = await createClickHouse({ kind: 'embedded', dataDir });
await migrate(ch);
const receiver = await startReceiver(
  { ...defaultReceiverOptions, grpcPort: 0, httpPort: 0, flushIntervalMs: Number(flushIntervalMs) },
  { sink: ch, recordIds: { known: (project, ids) => knownRecordIds(ch, project, ids) }, logger: pino({ level: 'warn' }) },
);

const COUNTS = {
  metric_points: 'SELECT count() AS n FROM metric_points WHERE project = {project:String}',
  spans: 'SELECT count() AS n FROM spans WHERE project = {project:String}',
} as const;
const VISIBLE = 'SELECT count() AS n FROM metric_points WHERE project = {project:String} AND run_id = {run:String}';

const control = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://control');
  const project = url.searchParams.get('project') ?? '';
  const table = url.searchParams.get('table') as keyof typeof COUNTS | null;
  const sql = url.pathname === '/visible' ? VISIBLE : table && COUNTS[table];
  if (!sql) {
    response.writeHead(404).end();
    return;
  }
  ch.query<{ n: string }>({ sql, params: { project, run: url.searchParams.get('run') ?? '' }, tag: 'bench' })
    .then((rows) => response.writeHead(200).end(rows[0]?.n ?? '0'))
    .catch((error: unknown) => response.writeHead(500).end(String(error)));
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ grpc: receiver.grpcAddress, http: receiver.httpAddress, control: `127.0.0.1:${port}` })}\n`);
});

process.on('SIGTERM', () => {
  void receiver
    .close()
    .then(() => ch.close())
    .finally(() => process.exit(0));
});
