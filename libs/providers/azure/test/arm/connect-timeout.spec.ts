import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AzureTimeoutError } from '../../src/arm/call-errors.js';
import { createAzureClients } from '../../src/arm/clients.js';
import { fakeCredential } from './fake-arm.js';

/** A server that takes TCP connections and never says a word: no TLS handshake ever completes. */
async function silentServer(): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('connect timeout', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('gives up on a handshake that never completes, retries, and names the timeout', async () => {
    const server = await silentServer();
    close = server.close;
    const clients = createAzureClients({
      credential: fakeCredential(),
      endpoint: `https://127.0.0.1:${server.port}`,
      timeouts: { connectTimeoutMs: 100, requestTimeoutMs: 10_000 },
      retry: { maxRetries: 1, baseMs: 1, capMs: 5 },
    });
    const started = Date.now();
    const error = await clients.armGet('/subscriptions/s', '2022-12-01').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureTimeoutError);
    expect((error as Error).message).toMatch(/no TLS connection to .* within 100 ms/);
    expect(server.connections()).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
