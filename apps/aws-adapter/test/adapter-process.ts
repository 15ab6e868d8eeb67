import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { runNodeScript, startNodeScript, type RunningProcess } from '@drift-detective/testing';

/** The adapter's process entry, as a container or a cron job runs it. */
export const bin = path.resolve(import.meta.dirname, '..', 'bin', 'drift-detective-aws.js');

export type { ProcessResult } from '@drift-detective/testing';
export type RunningAdapter = RunningProcess;

/** Runs the built `drift-detective-aws` with these arguments to its end. */
export function adapter(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return runNodeScript(bin, args, { ...process.env, ...options.env });
}

/** Starts the built `drift-detective-aws` with these arguments, for a test to signal it. */
export function startAdapter(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): RunningAdapter {
  return startNodeScript(bin, args, { ...process.env, ...options.env });
}

/**
 * What a command's stderr must look like when it fails: JSON log lines (when
 * logs are on), then the one-line failure last; no stack frame, no runtime
 * warning banner, nothing else.
 */
export function failureLines(stderr: string): { last: string; others: string[] } {
  const lines = stderr.split('\n').filter((line) => line !== '');
  return { last: lines.at(-1) ?? '', others: lines.slice(0, -1) };
}

/**
 * The environment of an adapter process in a test: only the SDK's standard
 * variables (the adapter has no endpoint or key settings of its own), a state
 * file of its own, and logs on.
 */
export function adapterEnv(
  endpoint: string,
  stateDir: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  region: string,
): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    DRIFT_STATE_PATH: path.join(stateDir, 'state.db'),
    LOG_LEVEL: 'info',
  };
}

/** A `drift-detective-aws worker` process a test starts, probes and stops. */
export interface Worker {
  readonly child: ChildProcess;
  /** stderr so far. */
  readonly stderr: () => string;
}

/** Starts `drift-detective-aws worker --queue-url URL` with these extra flags and environment. */
export function startWorker(
  queueUrl: string,
  extra: readonly string[],
  env: NodeJS.ProcessEnv,
): Worker {
  const child = spawn(process.execPath, [bin, 'worker', '--queue-url', queueUrl, ...extra], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stderr: () => stderr };
}

/** SIGTERM, as a deployment stops the worker; its exit code (at once if it has ended). */
export async function stopWorker(worker: Worker): Promise<number | null> {
  if (worker.child.exitCode !== null) return worker.child.exitCode;
  const exited = once(worker.child, 'exit');
  worker.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

export { freePort, waitFor } from '@drift-detective/testing';
