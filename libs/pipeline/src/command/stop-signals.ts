/**
 * Runs `work` with a signal that SIGTERM or Ctrl-C (SIGINT) aborts, its
 * reason the signal's name, so a long command can stop at a safe point and
 * clean up instead of dying where it stands. The handlers go with the work.
 */
export async function untilStopped<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await work(stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
