import { isIP } from 'node:net';

/** Where the Google clients connect: a host and a port. */
export interface GcpEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `host:port` (an IPv6 host in brackets: `[::1]:8443`). Throws RangeError
 * naming the value when it is not one.
 */
export function parseEndpoint(raw: string): GcpEndpoint {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]/\s]+)):(\d{1,5})$/.exec(raw.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`endpoint '${raw}' is not host:port`);
  }
  return { host, port };
}

/**
 * Whether a host is this machine's loopback: 127.0.0.0/8, ::1 or `localhost`.
 * Plaintext gRPC is accepted only there, so no setting can send an
 * organization's inventory, or its findings, unencrypted over a network.
 */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return /^(0{0,4}:){2,7}0{0,3}1$|^::1$/i.test(host);
  return false;
}
