import type { Writable } from 'node:stream';
import { UsageError } from './usage.js';

/**
 * Writes the report to `stream` a piece at a time, waiting whenever the
 * stream's buffer is full: a pipe to a slower reader would otherwise queue
 * the whole report in memory. A reader that goes away (EPIPE, `| head`) is a
 * one-line error, not a crash; the scan then marks nothing reported.
 */
export function reportWriter(stream: Writable, name: string): (text: string) => Promise<void> {
  let failure: Error | undefined;
  stream.on('error', (error: Error) => {
    failure ??= error;
  });
  const refuse = (error: Error): never => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${name} closed before the report was all written (${code ?? error.message}); ` +
        'nothing was marked reported',
      { showUsage: false },
    );
  };
  return async (text) => {
    if (failure) refuse(failure);
    if (stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done).on('error', done).on('close', done);
    });
    if (failure) refuse(failure);
  };
}
