import { settings } from './settings.js';

export function globalUsage(version: string): string {
  return `mlrun ${version} — OpenTelemetry-native experiment tracker and trace backend

Usage:
  mlrun serve [flags]   run everything: the OTLP receiver (gRPC :4317, HTTP :4318) and the query API (:3000)
  mlrun query [flags]   run the query API alone, against server-mode storage (N of them behind a load balancer)
  mlrun --help          show this help ('mlrun serve --help' lists every flag)
  mlrun --version       print the version

Exit codes: 0 ok, 1 start-up or runtime failure, 2 usage or configuration error, 130 forced stop.
`;
}

const ABOUT = {
  serve: `Runs the OTLP receiver (gRPC and HTTP) and the query API in one process, over embedded chDB and PGlite in
the data dir by default, or ClickHouse / Postgres servers when MLRUN_CLICKHOUSE_URL / MLRUN_POSTGRES_URL are
set. SIGINT/SIGTERM flush every batch, then exit 0; a second signal exits at once with 130.`,
  query: `Runs the query API alone (no OTLP listeners; the OTLP port flags are ignored), for server mode: point it at
the same ClickHouse, Postgres and artifact store as the receivers (MLRUN_CLICKHOUSE_URL, MLRUN_POSTGRES_URL,
MLRUN_S3_*) and run as many as you like. With embedded storage no other mlrun process may use the data dir.`,
} as const;

/** Generated from the settings table, so it always matches what `loadConfig` accepts. */
export function serveUsage(command: 'serve' | 'query' = 'serve'): string {
  const rows = settings.map((s) => {
    const flag = s.flag === undefined ? '' : `--${s.flag}`;
    const fallback = s.fallback === undefined ? 'unset' : s.fallback === '' ? "''" : s.fallback;
    return { flag, env: s.env, fallback, help: s.help };
  });
  const width = (pick: (r: (typeof rows)[number]) => string): number => Math.max(...rows.map((r) => pick(r).length));
  const [wf, we, wd] = [width((r) => r.flag), width((r) => r.env), width((r) => r.fallback)];
  const lines = rows.map((r) => `  ${r.flag.padEnd(wf)}  ${r.env.padEnd(we)}  ${r.fallback.padEnd(wd)}  ${r.help}`);
  return `Usage: mlrun ${command} [flags]

${ABOUT[command]}

Flags beat environment variables beat defaults. Flags take a value as '--flag value' or '--flag=value'.

  ${'flag'.padEnd(wf)}  ${'environment'.padEnd(we)}  ${'default'.padEnd(wd)}  meaning
${lines.join('\n')}
  -h, --help  show this help
`;
}
