import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A free loopback port (for a webhook or health server, or a gate in front of an emulator). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Polls `probe` every `intervalMs` until it answers something (not
 * undefined), or fails naming `what` once `ms` have passed.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** How a process a test ran to its end ended. */
export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a Node.js script (a built command's bin) with these arguments and
 * exactly this environment, to its end, without blocking the event loop (a
 * stand-in in the same process keeps answering it).
 */
export function runNodeScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProcessResult> {
  return new Promise<ProcessResult>((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** A process a test started, to probe and signal. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** stderr so far. */
  readonly stderr: () => string;
  /** Resolves when the process exits: its code (null when a signal ended it), signal and when. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts a Node.js script with these arguments and exactly this environment. */
export function startNodeScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): RunningProcess {
  const child = spawn(process.execPath, [script, ...args], {
    env,
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
 * The environment of an adapter process a test starts: the runner's (PATH,
 * NODE_EXTRA_CA_CERTS…) without the variables `foreign` matches (the cloud's
 * and the adapter's own, which would leak the runner's settings in), then
 * the stand-in's variables, a state file of its own, JSON logs, and no wait
 * for a held state file. A value of undefined in `extra` removes the variable.
 */
export function adapterProcessEnv(options: {
  readonly foreign: RegExp;
  readonly standInEnv: Readonly<Record<string, string>>;
  readonly statePath: string;
  readonly extra?: Readonly<Record<string, string | undefined>> | undefined;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!options.foreign.test(key)) env[key] = value;
  }
  Object.assign(env, options.standInEnv, {
    DRIFT_STATE_PATH: options.statePath,
    DRIFT_STATE_WAIT_SECONDS: '0',
    LOG_LEVEL: 'info',
  });
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
