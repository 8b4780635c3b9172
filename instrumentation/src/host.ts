/** What `mlrun.run.start` reports as `mlrun.run.host` for a Node process (the Python SDK's keys, `node` for `python`). */
import { cpus, hostname, platform, release } from 'node:os';
import type { AnyValueMap } from '@opentelemetry/api-logs';

export function hostFacts(): AnyValueMap {
  return {
    hostname: hostname(),
    os: `${platform()}-${release()}`,
    node: process.versions.node,
    pid: process.pid,
    executable: process.execPath,
    argv: [...process.argv],
    cpu_count: cpus().length,
  };
}
