/** Every exit code `mlrun` uses; docs/configuration.md lists them for users. */
export const ExitCode = {
  /** Help, version, or a clean shutdown. */
  ok: 0,
  /** Could not start, or could not close cleanly. */
  failure: 1,
  /** Unknown command or flag, invalid configuration. */
  usage: 2,
  /** A second SIGINT/SIGTERM cut the shutdown short. */
  forced: 130,
} as const;
