/**
 * Resolves with the first SIGINT/SIGTERM. Any later one calls `onRepeat` (the caller exits at once): a
 * user pressing Ctrl+C twice wants out, flushed or not.
 */
export function shutdownSignal(onRepeat: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        onRepeat(signal);
        return;
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
