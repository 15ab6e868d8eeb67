import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore, type FindingRecord } from '@drift-detective/findings';
import {
  createMemoryMetrics,
  pushEventSource,
  runEvents,
  startHttpServer,
  type HttpServer,
  type PushEventSource,
} from '@drift-detective/pipeline';
import {
  builtPolicyEngine,
  gcpFaults,
  noGcpFaults,
  startGcpStandIn,
  type GcpStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gcpInventory } from '../../src/index.js';
import { createGcpClients, type GcpClients } from '../../src/grpc/clients.js';
import {
  assetFeedEnricher,
  cloudAssetFirewallReader,
  cloudAssetHistoryReader,
  pubsubPushAuthenticator,
  pubsubPushRoute,
} from '../../src/pubsub/index.js';
import { clone, nativeFixture } from '../helpers.js';
import {
  at,
  AUDIENCE,
  BACKUPS,
  backupsIamPolicy,
  backupsResource,
  DeadLetters,
  minutesAgo,
  ndjson,
  ORG,
  pubsubFixture,
  pushClaims,
  pushOf,
  PUSH_ACCOUNT,
  testIssuer,
  type Json,
} from './support.js';

// The whole way a feed message goes in production: authenticated push → pipeline → the
// enricher reading the rest of the asset from Cloud Asset (the stand-in, through the official
// client) → the GCP inventory → the real policy bundle → the state store.

const EXPORTS = '//storage.googleapis.com/acme-exports';
const orgPolicy = () => nativeFixture('org-policy-project-public-access-prevention.json');
/** The project's org policies less public access prevention: a public grant there takes effect. */
function policiesWithoutPrevention(): Json {
  const record = clone(orgPolicy()) as Json;
  const policies = record['org_policy'] as Json[];
  record['org_policy'] = policies.filter(
    (p) => p['constraint'] !== 'constraints/storage.publicAccessPrevention',
  );
  return record;
}
/**
 * acme-backups with public access prevention "inherited" (from a project that does not enforce
 * it): a public grant makes it public, and its guardrail (DD-STORAGE-001) is off.
 */
function exposedBackups(): Json {
  const record = backupsResource();
  const data = (record['resource'] as Json)['data'] as Json;
  (data['iamConfiguration'] as Json)['publicAccessPrevention'] = 'inherited';
  return record;
}
/** acme-exports as Cloud Asset holds it: the current asset of the feed fixture, PAP "inherited". */
const exportsAsset = () =>
  (clone(nativeFixture('feed-temporal-asset-bucket.json')) as { asset: Json }).asset;

/** A RESOURCE feed message of an export record (camelCase, as the feed writes it), at `time`. */
function resourceMessage(record: Json, time: string): Json {
  const resource = record['resource'] as Json;
  return {
    asset: {
      name: record['name'],
      assetType: record['asset_type'],
      resource: {
        version: resource['version'],
        discoveryDocumentUri: resource['discovery_document_uri'],
        discoveryName: resource['discovery_name'],
        parent: resource['parent'],
        data: resource['data'],
        location: resource['location'],
      },
      ancestors: record['ancestors'],
      updateTime: time,
    },
    priorAssetState: 'DOES_NOT_EXIST',
    window: { startTime: time },
  };
}

let standIn: GcpStandIn;
let clients: GcpClients;
let token: string;
let issuer: Awaited<ReturnType<typeof testIssuer>>;

beforeAll(async () => {
  standIn = await startGcpStandIn();
  clients = createGcpClients({
    endpoint: standIn.endpoint,
    plaintext: true,
    requestTimeoutMs: 5000,
  });
  issuer = await testIssuer();
  token = await issuer.sign(pushClaims());
});

afterAll(async () => {
  await clients.close();
  await standIn.close();
});

interface Running {
  readonly store: SqliteStateStore;
  readonly published: FindingRecord[][];
  readonly deadLetters: DeadLetters;
  post(body: unknown): Promise<Response>;
  findings(resourceId: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

const running: Running[] = [];

/** The pipeline behind the push endpoint, with or without the enricher. */
async function pipeline(options: { enrich: boolean } = { enrich: true }): Promise<Running> {
  const store = new SqliteStateStore(
    path.join(await mkdtemp(path.join(tmpdir(), 'drift-pubsub-')), 'state.db'),
  );
  const published: FindingRecord[][] = [];
  const deadLetters = new DeadLetters();
  const push: PushEventSource = pushEventSource({ maxBuffered: 4 });
  const loop = runEvents(
    push.source,
    {
      inventory: gcpInventory,
      engine: await builtPolicyEngine(),
      store,
      publisher: { publish: async (batch) => void published.push([...batch]) },
      deadLetter: deadLetters,
      metrics: createMemoryMetrics(),
      enrich: options.enrich
        ? assetFeedEnricher({
            history: cloudAssetHistoryReader(clients, {
              parent: ORG,
              retry: { maxRetries: 1, baseMs: 5, capMs: 20 },
            }),
            firewalls: cloudAssetFirewallReader(clients, {
              retry: { maxRetries: 1, baseMs: 5, capMs: 20 },
            }),
            parent: ORG,
          })
        : undefined,
    },
    { backoffBaseMs: 10, backoffCapMs: 20 },
  );
  const server: HttpServer = await startHttpServer({
    port: 0,
    routes: [
      pubsubPushRoute({
        auth: pubsubPushAuthenticator({
          audience: AUDIENCE,
          serviceAccountEmail: PUSH_ACCOUNT,
          jwks: issuer.jwks,
        }),
        deliver: (events, signal) => push.deliver(events, signal),
        deadLetter: deadLetters,
      }),
    ],
  });
  const run: Running = {
    store,
    published,
    deadLetters,
    post: (body) =>
      fetch(`http://127.0.0.1:${server.port}/pubsub/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }),
    findings: async (resourceId) =>
      Object.fromEntries(
        (await store.findingsOf({ provider: 'gcp', resourceId })).map((f) => [f.ruleId, f.status]),
      ),
    async stop() {
      push.close();
      await loop;
      await server.stop(100);
      await store.close();
    },
  };
  running.push(run);
  return run;
}

afterEach(async () => {
  standIn.setFaults(noGcpFaults);
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

const historyCalls = () => standIn.requests().filter((e) => e.method === 'BatchGetAssetsHistory');

describe('an IAM_POLICY feed message (a bucket made public)', () => {
  it('is joined to the RESOURCE Cloud Asset holds: public → ACTIVE, the versioning finding stays', async () => {
    standIn.replaceAssets(
      ndjson(exposedBackups(), backupsIamPolicy(), policiesWithoutPrevention()),
    );
    const run = await pipeline();
    // The bucket as the RESOURCE feed reported it: versioning off (DD-STORAGE-005).
    expect((await run.post(pushOf(resourceMessage(exposedBackups(), minutesAgo(10))))).status).toBe(
      204,
    );
    expect(await run.findings(BACKUPS)).toEqual({
      'DD-STORAGE-001': 'ACTIVE',
      'DD-STORAGE-005': 'ACTIVE',
    });

    const before = historyCalls().length;
    const changedAt = minutesAgo(5);
    const iam = at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), changedAt);
    expect((await run.post(pushOf(iam))).status).toBe(204);
    expect(await run.findings(BACKUPS)).toEqual({
      'DD-STORAGE-001': 'ACTIVE',
      'DD-STORAGE-005': 'ACTIVE',
      'DD-STORAGE-002': 'ACTIVE',
    });

    // The RESOURCE as of the message's time, then the org policies of the bucket's ancestors.
    const calls = historyCalls().slice(before);
    expect(calls.map((c) => [c.request['contentType'], c.request['assetNames']])).toEqual([
      ['RESOURCE', [BACKUPS]],
      [
        'ORG_POLICY',
        [
          '//cloudresourcemanager.googleapis.com/projects/847203951166',
          '//cloudresourcemanager.googleapis.com/folders/302194586720',
          '//cloudresourcemanager.googleapis.com/organizations/671234098812',
        ],
      ],
    ]);
    // The finding carries what the message changed.
    const publicFinding = run.published.flat().find((f) => f.ruleId === 'DD-STORAGE-002');
    expect(publicFinding?.change).toMatchObject({
      changedAt: changedAt.replace(/\.(\d{3})Z$/, '.$1Z'),
      changeType: 'update',
      fields: [
        {
          path: 'iamPolicy.bindings["roles/storage.objectViewer"]',
          before: null,
          after: ['allUsers'],
        },
      ],
    });
  });

  it('grants nothing where the bucket enforces public access prevention: no DD-STORAGE-002', async () => {
    // The allUsers binding lands in the IAM policy, but prevention makes it ineffective.
    standIn.replaceAssets(
      ndjson(backupsResource(), backupsIamPolicy(), policiesWithoutPrevention()),
    );
    const run = await pipeline();
    const iam = at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), minutesAgo(5));
    expect((await run.post(pushOf(iam))).status).toBe(204);
    expect(await run.findings(BACKUPS)).toEqual({ 'DD-STORAGE-005': 'ACTIVE' });
  });

  it('judged alone (no enricher) would resolve the versioning finding it cannot see', async () => {
    standIn.replaceAssets(
      ndjson(exposedBackups(), backupsIamPolicy(), policiesWithoutPrevention()),
    );
    const run = await pipeline({ enrich: false });
    await run.post(pushOf(resourceMessage(exposedBackups(), minutesAgo(10))));
    expect(await run.findings(BACKUPS)).toMatchObject({ 'DD-STORAGE-005': 'ACTIVE' });
    const iam = at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), minutesAgo(5));
    expect((await run.post(pushOf(iam))).status).toBe(204);
    // This is the false resolution the enricher exists to prevent.
    expect((await run.findings(BACKUPS))['DD-STORAGE-005']).toBe('RESOLVED');
  });

  it('changes nothing when Pub/Sub redelivers it ten times', async () => {
    standIn.replaceAssets(
      ndjson(exposedBackups(), backupsIamPolicy(), policiesWithoutPrevention()),
    );
    const run = await pipeline();
    const push = pushOf(at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), minutesAgo(5)));
    expect((await run.post(push)).status).toBe(204);
    const findings = await run.store.findingsOf({ provider: 'gcp', resourceId: BACKUPS });
    const writes = run.published.length;
    for (let i = 0; i < 10; i += 1) expect((await run.post(push)).status).toBe(204);
    expect(run.published.length).toBe(writes);
    expect(await run.store.findingsOf({ provider: 'gcp', resourceId: BACKUPS })).toEqual(findings);
  });

  it('is answered non-2xx while Cloud Asset fails, and judged once it answers again', async () => {
    standIn.replaceAssets(
      ndjson(exposedBackups(), backupsIamPolicy(), policiesWithoutPrevention()),
    );
    const run = await pipeline();
    standIn.setFaults(({ method }) =>
      method === 'BatchGetAssetsHistory' ? gcpFaults.unavailable() : null,
    );
    const push = pushOf(at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), minutesAgo(5)));
    const refused = await run.post(push);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/UNAVAILABLE/);
    expect(await run.findings(BACKUPS)).toEqual({});
    expect(run.deadLetters.items).toEqual([]);
    standIn.setFaults(noGcpFaults);
    expect((await run.post(push)).status).toBe(204);
    expect(await run.findings(BACKUPS)).toMatchObject({ 'DD-STORAGE-002': 'ACTIVE' });
  });

  it('is never judged alone when Cloud Asset holds no RESOURCE for it: retried instead', async () => {
    // Only the IAM policy is held: the RESOURCE read answers nothing.
    standIn.replaceAssets(ndjson(backupsIamPolicy()));
    const run = await pipeline();
    const response = await run.post(
      pushOf(at(pubsubFixture('feed-iam-policy-bucket-allusers.json'), minutesAgo(5))),
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(
      /FeedEnrichmentError: the RESOURCE of \/\/storage.googleapis.com\/acme-backups is not in/,
    );
    expect(await run.findings(BACKUPS)).toEqual({});
  });
});

describe('a RESOURCE feed message', () => {
  it('is joined to the IAM policy Cloud Asset holds, and stands alone for an asset without one', async () => {
    standIn.replaceAssets(
      ndjson(exposedBackups(), backupsIamPolicy(), policiesWithoutPrevention(), exportsAsset()),
    );
    const run = await pipeline();
    const publicIam = clone(backupsIamPolicy());
    ((publicIam['iam_policy'] as Json)['bindings'] as Json[]).push({
      role: 'roles/storage.objectViewer',
      members: ['allUsers'],
    });
    standIn.replaceAssets(
      ndjson(exposedBackups(), publicIam, policiesWithoutPrevention(), exportsAsset()),
    );
    await run.post(pushOf(resourceMessage(exposedBackups(), minutesAgo(3))));
    // The public grant lives in the IAM part only: it is judged all the same.
    expect(await run.findings(BACKUPS)).toEqual({
      'DD-STORAGE-001': 'ACTIVE',
      'DD-STORAGE-005': 'ACTIVE',
      'DD-STORAGE-002': 'ACTIVE',
    });
    // acme-exports has no IAM_POLICY record: judged on its resource alone.
    const exportsMessage = at(
      nativeFixture('feed-temporal-asset-bucket.json') as Json,
      minutesAgo(2),
    );
    expect((await run.post(pushOf(exportsMessage))).status).toBe(204);
    expect(await run.findings(EXPORTS)).toEqual({ 'DD-STORAGE-001': 'ACTIVE' });
  });

  it('reads the org policy of the bucket’s project: enforced there, no guardrail finding', async () => {
    standIn.replaceAssets(ndjson(orgPolicy(), exportsAsset()));
    const run = await pipeline();
    // publicAccessPrevention "inherited", and the project enforces the constraint.
    const message = at(nativeFixture('feed-temporal-asset-bucket.json') as Json, minutesAgo(4));
    expect((await run.post(pushOf(message))).status).toBe(204);
    expect(await run.findings(EXPORTS)).toEqual({});
    // Without that policy (the project no longer sets it) the guardrail is off: ACTIVE.
    standIn.replaceAssets(ndjson(exportsAsset()));
    const later = at(nativeFixture('feed-temporal-asset-bucket.json') as Json, minutesAgo(1));
    expect((await run.post(pushOf(later))).status).toBe(204);
    expect(await run.findings(EXPORTS)).toEqual({ 'DD-STORAGE-001': 'ACTIVE' });
    const finding = run.published.flat().find((f) => f.ruleId === 'DD-STORAGE-001');
    expect(finding?.change?.fields).toEqual([
      {
        path: 'resource.data.iamConfiguration.publicAccessPrevention',
        before: 'enforced',
        after: 'inherited',
      },
    ]);
  });
});

describe("a firewall rule's message", () => {
  // allow-ssh-anywhere (tcp 22 from 0.0.0.0/0, priority 1000) and another rule of its network
  // denying the same at priority 900.
  const network = () =>
    clone(nativeFixture('dd-net-001-compliant-ssh-open-behind-a-deny-of-the-network.json')) as [
      Json,
      Json,
    ];
  const [ALLOW, DENY] = network().map((record) => String(record['name'])) as [string, string];

  it('is judged with the denies of its network: an allow behind a deny opens nothing', async () => {
    const [allow, deny] = network();
    standIn.replaceAssets(ndjson(allow, deny));
    const run = await pipeline();
    expect((await run.post(pushOf(resourceMessage(allow, minutesAgo(5))))).status).toBe(204);
    expect(await run.findings(ALLOW)).toEqual({});
    // Judged alone, the same message opens the finding the network's deny rules out.
    const alone = await pipeline({ enrich: false });
    await alone.post(pushOf(resourceMessage(allow, minutesAgo(5))));
    expect(await alone.findings(ALLOW)).toEqual({ 'DD-NET-001': 'ACTIVE' });
  });

  it('is judged with the hierarchical firewall policies above it', async () => {
    const [allow, policy] = clone(
      nativeFixture('dd-net-001-compliant-ssh-open-behind-an-organization-firewall-policy.json'),
    ) as [Json, Json];
    standIn.replaceAssets(ndjson(allow, policy));
    const run = await pipeline();
    expect((await run.post(pushOf(resourceMessage(allow, minutesAgo(5))))).status).toBe(204);
    expect(await run.findings(ALLOW)).toEqual({});
  });

  it("re-judges the network's allows when a deny goes and comes back", async () => {
    const [allow, deny] = network();
    standIn.replaceAssets(ndjson(allow, deny));
    const run = await pipeline();
    await run.post(pushOf(resourceMessage(allow, minutesAgo(6))));
    expect(await run.findings(ALLOW)).toEqual({});

    // The deny is deleted: the allow it shadowed is open.
    standIn.replaceAssets(ndjson(allow));
    const denyMessage = resourceMessage(deny, minutesAgo(4));
    const deletion = {
      asset: { name: DENY, assetType: 'compute.googleapis.com/Firewall' },
      deleted: true,
      window: { startTime: minutesAgo(4) },
      priorAssetState: 'PRESENT',
      priorAsset: denyMessage['asset'],
    };
    expect((await run.post(pushOf(deletion))).status).toBe(204);
    expect(await run.findings(ALLOW)).toEqual({ 'DD-NET-001': 'ACTIVE' });

    // It is created again: the allow admits nothing, and is resolved.
    standIn.replaceAssets(ndjson(allow, deny));
    expect((await run.post(pushOf(resourceMessage(deny, minutesAgo(2))))).status).toBe(204);
    expect(await run.findings(ALLOW)).toEqual({ 'DD-NET-001': 'RESOLVED' });
    expect(await run.findings(DENY)).toEqual({});
  });
});

describe('a deleted asset', () => {
  it('resolves its findings, with nothing read from Cloud Asset', async () => {
    standIn.replaceAssets(ndjson(orgPolicy(), exportsAsset()));
    const run = await pipeline();
    await run.post(
      pushOf(at(nativeFixture('feed-temporal-asset-bucket.json') as Json, minutesAgo(4))),
    );
    standIn.replaceAssets(ndjson(exportsAsset()));
    await run.post(
      pushOf(at(nativeFixture('feed-temporal-asset-bucket.json') as Json, minutesAgo(3))),
    );
    expect(await run.findings(EXPORTS)).toEqual({ 'DD-STORAGE-001': 'ACTIVE' });
    const before = historyCalls().length;
    const deleted = {
      asset: {
        name: EXPORTS,
        assetType: 'storage.googleapis.com/Bucket',
        updateTime: minutesAgo(2),
      },
      deleted: true,
      window: { startTime: minutesAgo(2) },
    };
    expect((await run.post(pushOf(deleted))).status).toBe(204);
    expect(await run.findings(EXPORTS)).toEqual({ 'DD-STORAGE-001': 'RESOLVED' });
    expect(historyCalls().length).toBe(before);
  });
});

describe('the feed welcome message and unreadable messages', () => {
  it('acknowledges the welcome message with nothing judged, and dead-letters a broken message', async () => {
    const run = await pipeline();
    expect((await run.post(nativeFixture('pubsub-push-feed-welcome.json'))).status).toBe(204);
    expect((await run.post(pushOf('{"asset": '))).status).toBe(204);
    expect(run.published).toEqual([]);
    expect(run.deadLetters.items.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^unreadable \(bad_data\): Pub\/Sub message data is not JSON/),
    ]);
  });
});
