import { startGcpStandIn, type GcpStandIn } from '@drift-detective/testing';
import { createGcpClients, type GcpClients } from '../../src/grpc/clients.js';
import { SccPublisher, type SccPublisherOptions } from '../../src/scc/index.js';
import { FAST_RETRY, ORG_ID, SEED } from './records.js';

/** A seeded stand-in, clients on it, and publishers built for it. */
export interface Harness {
  readonly standIn: GcpStandIn;
  readonly clients: GcpClients;
  publisher(options?: Partial<SccPublisherOptions>): SccPublisher;
  /** The stand-in's findings in REST JSON form. */
  findings(): Record<string, unknown>[];
  /** The journal's SCC calls from `start` on, as "Method STATUS". */
  calls(start?: number): string[];
  close(): Promise<void>;
}

export async function startHarness(requestTimeoutMs = 5000): Promise<Harness> {
  const standIn = await startGcpStandIn({ seed: SEED });
  const clients = createGcpClients({
    endpoint: standIn.endpoint,
    plaintext: true,
    requestTimeoutMs,
  });
  return {
    standIn,
    clients,
    publisher: (options = {}) =>
      new SccPublisher({ clients, organization: ORG_ID, retry: FAST_RETRY, ...options }),
    findings: () => standIn.findings() as Record<string, unknown>[],
    calls: (start = 0) =>
      standIn
        .requests()
        .slice(start)
        .filter((e) => e.service.endsWith('SecurityCenter'))
        .map((e) => `${e.method} ${e.status}`),
    async close() {
      await clients.close();
      await standIn.close();
    },
  };
}
