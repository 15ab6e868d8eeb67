// Starts the GCP stand-in: one plaintext gRPC endpoint serving Cloud Asset Inventory
// (google.cloud.asset.v1.AssetService) and Security Command Center
// (google.cloud.securitycenter.v2.SecurityCenter), and the admin API on a second port.
import { AdminServer } from './admin.js';
import { AssetInventory } from './assets.js';
import { GCP_ENV } from './env.js';
import { noGcpFaults, type GcpFaultPlan } from './faults.js';
import type { GcpJournalEntry } from './journal.js';
import { Relay } from './relay.js';
import { SecurityCenterState } from './scc.js';
import { recordsOfExport } from './seed.js';
import { GcpGrpcServer } from './server.js';
import type { GcpStandInState } from './state.js';
import { gcpViews } from './views.js';

export interface GcpStandInOptions {
  /** A Cloud Asset export, NDJSON as `gcloud asset export` writes it. */
  readonly seed?: string;
  readonly faults?: GcpFaultPlan;
  /** The gRPC port (default: a free one); the admin API always takes a free one. */
  readonly port?: number;
}

export interface GcpStandIn {
  /** 127.0.0.1:PORT, plaintext gRPC for both services. */
  readonly endpoint: string;
  /** http://127.0.0.1:PORT2, the admin API. */
  readonly admin: string;
  /** What a `drift-detective gcp sweep` process needs (names in GCP_ENV). */
  readonly env: Readonly<Record<string, string>>;
  /** Replaces every asset with those of an export (NDJSON); throws GcpSeedError. */
  replaceAssets(ndjson: string): void;
  /** Every SCC finding, in the v2 REST API's JSON form. */
  findings(): unknown[];
  sources(): unknown[];
  requests(): GcpJournalEntry[];
  /** SCC writes received, whatever their outcome. */
  writes(): number;
  setFaults(plan: GcpFaultPlan): void;
  close(): Promise<void>;
}

export async function startGcpStandIn(options: GcpStandInOptions = {}): Promise<GcpStandIn> {
  const inventory = new AssetInventory(recordsOfExport(options.seed ?? ''));
  const state: GcpStandInState = {
    inventory,
    scc: new SecurityCenterState(inventory),
    journal: [],
    writes: 0,
    plan: options.faults ?? noGcpFaults,
  };
  const grpc = new GcpGrpcServer(state);
  const relay = new Relay(await grpc.listen());
  grpc.dropWith((peer) => relay.drop(peer));
  const port = await relay.listen(options.port);
  const views = gcpViews(state);
  const admin = new AdminServer(state, views);
  const adminPort = await admin.listen();
  const endpoint = `127.0.0.1:${port}`;
  const projects = inventory.projects();
  const organization = inventory.organization();
  // What a sweep covers: the seed's organization, one sweep of all of it; its
  // projects only when the seed names no organization.
  const env = {
    [GCP_ENV.endpoint]: endpoint,
    [GCP_ENV.plaintext]: 'true',
    ...(organization === undefined
      ? { [GCP_ENV.projects]: projects.join(',') }
      : { [GCP_ENV.organization]: organization }),
    [GCP_ENV.project]: projects[0] ?? '',
  };
  return {
    endpoint,
    admin: `http://127.0.0.1:${adminPort}`,
    env,
    replaceAssets: (ndjson) => inventory.replace(recordsOfExport(ndjson)),
    findings: views.findings,
    sources: views.sources,
    requests: () => [...state.journal],
    writes: () => state.writes,
    setFaults: (plan) => void (state.plan = plan),
    async close() {
      grpc.close();
      await Promise.all([relay.close(), admin.close()]);
    },
  };
}
