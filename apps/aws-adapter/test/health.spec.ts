// What /readyz and /metrics of a real `drift-detective-aws worker` say when
// its dependencies fail: the queue refusing connections, Security Hub
// answering 503. Everything through the SDK's default chain to moto_server,
// with a TCP gate in between that the test opens and shuts.
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import {
  configEventPath,
  REGION,
  TEST_CREDENTIALS as credentials,
} from '@drift-detective/provider-aws/testing';
import {
  faults,
  startFaultProxy,
  startMotoServer,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adapterEnv,
  freePort,
  startWorker,
  stopWorker,
  waitFor,
  type Worker,
} from './adapter-process.js';

let moto: MotoServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-aws-health-'));
  env = { ...adapterEnv(moto.endpoint, dir, credentials, REGION), DRIFT_AWS_HOME_REGION: REGION };
});

/**
 * The queue's URL at another endpoint: the SQS client sends to the host a
 * queue URL names, whatever AWS_ENDPOINT_URL says, so the URL must name the
 * gate or the proxy for the worker's receives to pass there.
 */
function queueAt(queueUrl: string, endpoint: string): string {
  return queueUrl.replace(new URL(queueUrl).origin, endpoint);
}

/** The worker's log line naming where its health server listens. */
function servingLine(worker: Worker): { host: string; port: number } | undefined {
  for (const line of worker.stderr().split('\n')) {
    if (!line.includes('serving /healthz')) continue;
    return JSON.parse(line) as { host: string; port: number };
  }
  return undefined;
}

async function readyz(base: string): Promise<{ status: number; body: string } | undefined> {
  const response = await fetch(`${base}/readyz`).catch(() => undefined);
  return response && { status: response.status, body: await response.text() };
}

/** The sample of drift_errors_total{kind}, or undefined when the scrape has none. */
async function errorsOf(base: string, kind: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sample = new RegExp(`^drift_errors_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text);
  return sample ? Number(sample[1]) : undefined;
}

/**
 * A TCP gate on a fixed loopback port in front of moto: open, it forwards;
 * shut, nothing listens there, so every connection is refused (ECONNREFUSED)
 * and the connections it held are cut, as when the endpoint goes away.
 */
class Gate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(
    readonly port: number,
    private readonly target: URL,
  ) {}

  /** A gate to `target` on a free port, shut until opened. */
  static async to(target: string): Promise<Gate> {
    return new Gate(await freePort(), new URL(target));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async shut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = once(server, 'close');
    server.close();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

describe('drift-detective-aws worker health', () => {
  it('goes unready while every receive is refused, counts each failure, and is ready again after the next receive', async () => {
    const { queueUrl } = await configEventPath(moto.endpoint);
    const gate = await Gate.to(moto.endpoint);
    await gate.open();
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${metricsPort}`;
    const worker = startWorker(
      queueAt(queueUrl, gate.endpoint),
      ['--metrics-port', String(metricsPort), '--unready-after-seconds', '1'],
      { ...env, AWS_ENDPOINT_URL: gate.endpoint },
    );
    try {
      // moto answering: ready, and stays so past the threshold.
      await waitFor('the worker to be ready', async () =>
        (await readyz(base))?.status === 200 ? true : undefined,
      );
      // Every error kind is there from the first scrape, at 0.
      for (const kind of ['receive', 'publish', 'fetch', 'internal']) {
        expect(await errorsOf(base, kind)).toBe(0);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await readyz(base)).toEqual({ status: 200, body: 'ready\n' });

      // The endpoint refuses connections: unready after the threshold, naming why.
      await gate.shut();
      const unready = await waitFor(
        'the worker to turn unready',
        async () => {
          const answer = await readyz(base);
          return answer?.status === 503 && /ECONNREFUSED/.test(answer.body) ? answer : undefined;
        },
        45_000,
      );
      expect(unready.body).toMatch(/^not ready: source failing for \d+ s \(.*ECONNREFUSED.*\)\n$/);
      expect(await errorsOf(base, 'receive')).toBeGreaterThan(0);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      // The endpoint back: ready after the next receive that succeeds.
      await gate.open();
      await waitFor(
        'the worker to be ready again',
        async () => ((await readyz(base))?.status === 200 ? true : undefined),
        60_000,
      );
    } finally {
      const code = await stopWorker(worker);
      await gate.shut();
      expect(code, worker.stderr()).toBe(0);
    }
  }, 150_000);

  it('goes unready while Security Hub refuses every import, counting publish errors', async () => {
    const { queueUrl, putChange } = await configEventPath(moto.endpoint);
    const proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (r) => (r.operation === 'BatchImportFindings' ? faults.serverError(503) : null),
    });
    const metricsPort = await freePort();
    const base = `http://127.0.0.1:${metricsPort}`;
    const worker = startWorker(
      queueAt(queueUrl, proxy.endpoint),
      ['--metrics-port', String(metricsPort), '--unready-after-seconds', '1'],
      { ...env, AWS_ENDPOINT_URL: proxy.endpoint },
    );
    try {
      await waitFor('the worker to be ready', async () =>
        (await readyz(base))?.status === 200 ? true : undefined,
      );
      await putChange('acme-reports', false);
      const unready = await waitFor(
        'the worker to turn unready',
        async () => {
          const answer = await readyz(base);
          return answer?.status === 503 ? answer : undefined;
        },
        60_000,
      );
      expect(unready.body).toMatch(
        /^not ready: hub failing for \d+ s \(.*ServiceUnavailable.*\)\n$/,
      );
      expect(await errorsOf(base, 'publish')).toBeGreaterThan(0);
    } finally {
      const code = await stopWorker(worker);
      await proxy.stop();
      expect(code, worker.stderr()).toBe(0);
    }
  }, 120_000);

  it('serves on the loopback only unless an address is set', async () => {
    const { queueUrl } = await configEventPath(moto.endpoint);
    // An address of this machine that is not the loopback, when it has one.
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

    const metricsPort = await freePort();
    const worker = startWorker(queueUrl, ['--metrics-port', String(metricsPort)], env);
    try {
      const serving = await waitFor('the serving log line', async () => servingLine(worker));
      expect(serving).toMatchObject({ host: '127.0.0.1', port: metricsPort });
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
      if (outside !== undefined) {
        await expect(fetch(`http://${outside}:${metricsPort}/healthz`)).rejects.toThrow();
      }
    } finally {
      expect(await stopWorker(worker), worker.stderr()).toBe(0);
    }

    // A container sets 0.0.0.0 on purpose: then the other addresses answer too.
    const openPort = await freePort();
    const open = startWorker(queueUrl, ['--metrics-port', String(openPort)], {
      ...env,
      DRIFT_METRICS_ADDRESS: '0.0.0.0',
    });
    try {
      const serving = await waitFor('the serving log line', async () => servingLine(open));
      expect(serving).toMatchObject({ host: '0.0.0.0', port: openPort });
      if (outside !== undefined) {
        expect((await fetch(`http://${outside}:${openPort}/healthz`)).status).toBe(200);
      }
    } finally {
      expect(await stopWorker(open), open.stderr()).toBe(0);
    }
  }, 60_000);
});
