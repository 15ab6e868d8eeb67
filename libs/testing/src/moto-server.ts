import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { noFaults, startFaultProxy } from './fault-proxy.js';
import { motoWireFix } from './moto-wire.js';

/** Where the toolchain bootstrap (make test / make demo) installs moto_server. */
export const defaultMotoServer = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'tools',
  '.venv',
  'bin',
  'moto_server',
);

export interface MotoServer {
  /**
   * http://127.0.0.1:<port>: the endpoint for every AWS SDK client
   * (AWS_ENDPOINT_URL). It is moto behind a proxy that corrects moto's few
   * wire-protocol deviations (moto-wire.ts), so processes that only get an
   * endpoint read answers the SDK accepts.
   */
  readonly endpoint: string;
  /** moto_server itself, uncorrected. */
  readonly motoEndpoint: string;
  /** Forgets every resource, so each test starts from an empty account. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no free loopback port');
  return address.port;
}

async function waitUntilServing(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('moto_server exited before it served');
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts moto_server (the AWS emulator) on a free loopback port and waits
 * until it answers. MOTO_SERVER_BIN overrides the binary.
 */
export async function startMotoServer(options: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const binary = process.env['MOTO_SERVER_BIN'] ?? defaultMotoServer;
  if (!existsSync(binary)) {
    throw new Error(
      `moto_server not found at ${binary}: run \`make test\` (it installs it) or set MOTO_SERVER_BIN`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on(
    'data',
    (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-4000)),
  );
  try {
    await waitUntilServing(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  const wire = await startFaultProxy({ target: endpoint, plan: noFaults, rewrite: motoWireFix });
  return {
    endpoint: wire.endpoint,
    motoEndpoint: endpoint,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    async stop() {
      await wire.stop();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
