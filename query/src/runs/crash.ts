/** The crash timeout: a `running` run silent for longer reads as `crashed` (ARCHITECTURE.md §4). */

/** Default: 5 minutes, a little over the Python SDK's 60 s heartbeat and 15 s system metrics. */
export const DEFAULT_CRASH_AFTER_MS = 5 * 60_000;

export function crashAfterMs(deps: { readonly crashAfterMs?: number }): number {
  return deps.crashAfterMs ?? DEFAULT_CRASH_AFTER_MS;
}
