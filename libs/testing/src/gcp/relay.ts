// A TCP relay in front of the gRPC server, so a fault can cut the very connection a call
// came on: grpc-js gives a handler the peer address but no handle on its HTTP/2 session.
// The server sees the relay's upstream socket as the peer, which maps back to the pair.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class Relay {
  private readonly server: Server;
  /** Upstream socket's local port (the peer port the gRPC server reports) → both sockets. */
  private readonly pairs = new Map<number, readonly [Socket, Socket]>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: number) {
    this.server = createServer((client) => this.accept(client));
  }

  private accept(client: Socket): void {
    // Without Nagle's algorithm on both legs: a relay that held small writes back for the
    // peer's delayed ACK (40 ms) would add a latency no Google endpoint has to every call.
    client.setNoDelay(true);
    const upstream = createConnection({ host: '127.0.0.1', port: this.target, noDelay: true });
    this.sockets.add(client).add(upstream);
    upstream.once('connect', () => {
      const port = upstream.localPort;
      if (port !== undefined) this.pairs.set(port, [client, upstream]);
      upstream.once('close', () => port !== undefined && this.pairs.delete(port));
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  /** Cuts the connection a call arrived on; `peer` as grpc-js reports it (`ipv4:127.0.0.1:PORT`). */
  drop(peer: string): boolean {
    const port = Number(peer.slice(peer.lastIndexOf(':') + 1));
    const pair = this.pairs.get(port);
    if (pair === undefined) return false;
    // resetAndDestroy sends an RST, the abrupt end a crashed peer or a middlebox gives.
    for (const socket of pair) socket.resetAndDestroy();
    return true;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
