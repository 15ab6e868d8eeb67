import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
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

export interface RunningAdapter {
  readonly child: ChildProcess;
  /** stderr so far. */
  readonly stderr: () => string;
  /** Resolves when the process exits: its code (null when a signal ended it) and when. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts the built `drift-detective-aws` with these arguments, for a test to signal it. */
export function startAdapter(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): RunningAdapter {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, stderr: () => stderr, exited };
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

/** Polls `probe` every 100 ms until it answers something, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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

/** A free loopback port (for a health server, or a gate in front of moto). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
