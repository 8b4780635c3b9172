import { settings } from './settings.js';

export function globalUsage(version: string): string {
  return `mlrun ${version} — OpenTelemetry-native experiment tracker and trace backend

Usage:
  mlrun serve [flags]   run the OTLP receiver (gRPC :4317, HTTP :4318) into ClickHouse
  mlrun --help          show this help ('mlrun serve --help' lists every flag)
  mlrun --version       print the version

Exit codes: 0 ok, 1 start-up or runtime failure, 2 usage or configuration error, 130 forced stop.
`;
}

/** Generated from the settings table, so it always matches what `loadConfig` accepts. */
export function serveUsage(): string {
  const rows = settings.map((s) => {
    const flag = s.flag === undefined ? '' : `--${s.flag}`;
    const fallback = s.fallback === undefined ? 'unset' : s.fallback === '' ? "''" : s.fallback;
    return { flag, env: s.env, fallback, help: s.help };
  });
  const width = (pick: (r: (typeof rows)[number]) => string): number => Math.max(...rows.map((r) => pick(r).length));
  const [wf, we, wd] = [width((r) => r.flag), width((r) => r.env), width((r) => r.fallback)];
  const lines = rows.map((r) => `  ${r.flag.padEnd(wf)}  ${r.env.padEnd(we)}  ${r.fallback.padEnd(wd)}  ${r.help}`);
  return `Usage: mlrun serve [flags]

Runs the OTLP receiver (gRPC and HTTP) writing into ClickHouse: embedded chDB in the data dir by default,
a ClickHouse server when MLRUN_CLICKHOUSE_URL is set. SIGINT/SIGTERM flush every batch, then exit 0;
a second signal exits at once with 130.

Flags beat environment variables beat defaults. Flags take a value as '--flag value' or '--flag=value'.

  ${'flag'.padEnd(wf)}  ${'environment'.padEnd(we)}  ${'default'.padEnd(wd)}  meaning
${lines.join('\n')}
  -h, --help  show this help
`;
}
