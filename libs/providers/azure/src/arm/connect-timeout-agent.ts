import https from 'node:https';
import type { Duplex } from 'node:stream';

/**
 * An https.Agent whose new connections must finish their TCP and TLS
 * handshakes within connectTimeoutMs. core-rest-pipeline has no connect
 * timeout of its own: its request.timeout bounds the whole attempt
 * (https://learn.microsoft.com/javascript/api/@azure/core-rest-pipeline/pipelinerequest#@azure-core-rest-pipeline-pipelinerequest-timeout),
 * so an endpoint that accepts the socket and never answers the handshake
 * would hold an attempt for the whole request timeout. The error carries
 * code ETIMEDOUT, which the retry strategy treats as a network failure.
 * Reused keep-alive sockets are already connected and are not timed again.
 */
export class ConnectTimeoutAgent extends https.Agent {
  constructor(private readonly connectTimeoutMs: number) {
    super({ keepAlive: true });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (!socket) return socket;
    const ms = this.connectTimeoutMs;
    const timer = setTimeout(() => {
      const error = new Error(
        `no TLS connection to ${options.host ?? '?'}:${options.port ?? 443} within ${ms} ms`,
      );
      socket.destroy(Object.assign(error, { code: 'ETIMEDOUT' }));
    }, ms);
    const done = () => clearTimeout(timer);
    socket.once('secureConnect', done);
    socket.once('close', done);
    return socket;
  }
}
