import { execFile } from 'node:child_process';
import path from 'node:path';

/** The adapter's process entry, as a container or a cron job runs it. */
export const bin = path.resolve(import.meta.dirname, '..', 'bin', 'drift-detective-aws.js');

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `drift-detective-aws` with these arguments to its end. */
export function adapter(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<ProcessResult>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}
