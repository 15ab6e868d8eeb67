// Starts the Azure stand-in: one HTTPS endpoint serving the managed-identity
// token endpoint, Resource Graph, ARM GET and Defender for Cloud assessments,
// plus the admin API.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createTestCertificateAuthority,
  issueServerCertificate,
  testCaFromEnv,
  type TestCa,
} from './ca.js';
import type { ChangeActor } from './changes.js';
import { azureContracts } from './contracts.js';
import { DefenderState, type AssessmentView } from './defender.js';
import { noAzureFaults, type AzureFaultPlan } from './faults.js';
import { Inventory, rowSubscription } from './inventory.js';
import type { JournalEntry } from './journal.js';
import { IDENTITY_PATH } from './managed-identity.js';
import { DEFAULT_QUOTA, QuotaWindows, type QuotaOptions } from './quota.js';
import { rowsOfAnswer, type Row } from './seed.js';
import { StandInServer } from './server.js';
import type { StandInState } from './state.js';
import { TokenAuthority, type Identity } from './tokens.js';

export interface AzureStandInOptions {
  /** A Resource Graph answer (REST or `az graph query` output) or an array of rows. */
  readonly seed?: unknown;
  /** Management group name → the subscriptions under it. */
  readonly managementGroups?: Readonly<Record<string, readonly string[]>>;
  /** Subscriptions the identity may not read: 403 when named, left out of management groups. */
  readonly unreadableSubscriptions?: readonly string[];
  /** Resource Graph queries per window, per identity (default 15 per 5 s). */
  readonly quota?: QuotaOptions;
  readonly faults?: AzureFaultPlan;
  /** Default: the test run's CA (global-setup.ts), else a new one in a temp dir. */
  readonly ca?: TestCa;
  readonly identity?: Partial<Identity>;
  /** Default: a free port. */
  readonly port?: number;
}

export interface AzureStandIn {
  /** https://127.0.0.1:PORT */
  readonly endpoint: string;
  /** The CA certificate clients must trust (NODE_EXTRA_CA_CERTS). */
  readonly caFile: string;
  /**
   * Everything a process needs to run against the stand-in: NODE_EXTRA_CA_CERTS,
   * IDENTITY_ENDPOINT and IDENTITY_HEADER (App Service managed identity),
   * AZURE_TOKEN_CREDENTIALS=ManagedIdentityCredential,
   * DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT, DRIFT_AZURE_RESOURCE_MANAGER_AUDIENCE and
   * DRIFT_AZURE_SUBSCRIPTIONS.
   */
  readonly env: Readonly<Record<string, string>>;
  readonly identity: Identity;
  /** Replaces every resource; changed ones get a resourcechanges row attributed to `change`. */
  replaceResources(answer: unknown, change?: ChangeActor): void;
  assessments(): AssessmentView[];
  metadata(): unknown[];
  requests(): JournalEntry[];
  /** Defender for Cloud writes (PUT/DELETE) received, whatever their outcome. */
  writes(): number;
  setFaults(plan: AzureFaultPlan): void;
  close(): Promise<void>;
}

/** Made-up ids for the identity the token endpoint speaks for. */
const DEFAULT_IDENTITY: Identity = {
  tenantId: '7a1c2b3d-0000-4000-8000-00000000aaaa',
  clientId: '7a1c2b3d-0000-4000-8000-00000000c11e',
  principalId: '7a1c2b3d-0000-4000-8000-00000000b0b0',
};

function tenantOf(rows: readonly Row[]): string | undefined {
  const found = rows.find((row) => typeof row['tenantId'] === 'string' && row['tenantId'] !== '');
  return found?.['tenantId'] as string | undefined;
}

export async function startAzureStandIn(options: AzureStandInOptions = {}): Promise<AzureStandIn> {
  const contracts = azureContracts();
  const seedRows = options.seed === undefined ? [] : rowsOfAnswer(options.seed);
  let ownCaDir: string | undefined;
  let ca = options.ca ?? testCaFromEnv();
  if (ca === undefined) {
    ownCaDir = mkdtempSync(path.join(tmpdir(), 'azure-standin-ca-'));
    ca = createTestCertificateAuthority(ownCaDir);
  }
  const seedTenant = tenantOf(seedRows);
  const identity: Identity = {
    ...DEFAULT_IDENTITY,
    ...(seedTenant !== undefined ? { tenantId: seedTenant } : {}),
    ...options.identity,
  };
  const managementGroups = options.managementGroups ?? {};
  const unreadable = options.unreadableSubscriptions ?? [];
  const state: StandInState = {
    contracts,
    inventory: new Inventory(seedRows, identity.tenantId, [
      ...Object.values(managementGroups).flat(),
      ...unreadable,
    ]),
    defender: new DefenderState(),
    authority: new TokenAuthority(ca, identity),
    identitySecret: randomBytes(16).toString('hex'),
    scopes: { managementGroups, unreadable: new Set(unreadable.map((s) => s.toLowerCase())) },
    quota: new QuotaWindows(options.quota ?? DEFAULT_QUOTA),
    journal: [],
    writes: 0,
    plan: options.faults ?? noAzureFaults,
  };
  const server = new StandInServer(state, issueServerCertificate(ca));
  const port = await server.listen(options.port);
  const endpoint = `https://127.0.0.1:${port}`;
  const seedSubscriptions = [
    ...new Set(seedRows.map(rowSubscription).filter((s) => s !== undefined)),
  ];
  const env = {
    NODE_EXTRA_CA_CERTS: ca.certFile,
    IDENTITY_ENDPOINT: `${endpoint}${IDENTITY_PATH}`,
    IDENTITY_HEADER: state.identitySecret,
    // Keeps DefaultAzureCredential on the managed identity, the production credential on App
    // Service and Functions, so a failure there is not hidden by a developer credential:
    // https://learn.microsoft.com/javascript/api/@azure/identity/defaultazurecredential
    AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
    DRIFT_AZURE_RESOURCE_MANAGER_ENDPOINT: endpoint,
    // Tokens are asked for the public cloud's Resource Manager, whose audience the stand-in checks as ARM does.
    DRIFT_AZURE_RESOURCE_MANAGER_AUDIENCE: 'https://management.azure.com',
    DRIFT_AZURE_SUBSCRIPTIONS: seedSubscriptions.join(','),
  };
  return {
    endpoint,
    caFile: ca.certFile,
    env,
    identity,
    replaceResources: (answer, change = {}) =>
      void state.inventory.replace(rowsOfAnswer(answer), change),
    assessments: () => state.defender.allAssessments(),
    metadata: () => state.defender.allMetadata(),
    requests: () => [...state.journal],
    writes: () => state.writes,
    setFaults: (plan) => void (state.plan = plan),
    async close() {
      await server.close();
      if (ownCaDir !== undefined) rmSync(ownCaDir, { recursive: true, force: true });
    },
  };
}
