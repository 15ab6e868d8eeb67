// assetSweep against the GCP stand-in, through the real @google-cloud/asset client.
import { describe, expect, it } from 'vitest';
import { inScope, type FindingRecord } from '@drift-detective/findings';
import { assetSweep, coveredKinds, gcpSweepScope } from '../../src/asset-api/index.js';
import {
  ANCESTORS,
  byId,
  FAST_RETRY,
  FOLDER,
  offlineResources,
  ORG,
  pagesOf,
  PROJECT_ID,
  PROJECT_NUMBER,
  resourcesOf,
  clientsFor,
  seed,
  seededStandIn,
  seedLines,
} from './harness.js';
import { startGcpStandIn } from '@drift-detective/testing';
import { nativeFixture } from '../helpers.js';

const file = seededStandIn();

const sweep = (options: Partial<Parameters<typeof assetSweep>[0]> = {}) =>
  assetSweep({ clients: file.clients, parent: ORG, retry: FAST_RETRY, ...options });

const listCalls = (from: number) =>
  file.standIn
    .requests()
    .slice(from)
    .filter((entry) => entry.method === 'ListAssets');

describe('assetSweep: what it reads', () => {
  it('normalizes to exactly the Resources the offline scan makes of the same export', async () => {
    const pages = await pagesOf(sweep({ pageSize: 3 })(null));
    const swept = resourcesOf(pages);
    expect(byId(swept)).toEqual(byId(offlineResources()));
    // Nothing twice, and the merges that make the difference happened.
    expect(new Set(swept.map((r) => r.id)).size).toBe(swept.length);
    const bucket = swept.find((r) => r.id === '//storage.googleapis.com/acme-public-assets');
    expect(bucket?.properties).toMatchObject({ publicAccessPreventionPolicy: true });
    expect(JSON.stringify(bucket?.properties)).toContain('allUsers');
    const project = swept.find(
      (r) => r.id === `//cloudresourcemanager.googleapis.com/projects/${PROJECT_NUMBER}`,
    );
    expect(project?.kind).toBe('iam.binding');
    expect(JSON.stringify(project?.native)).toContain('projectId');
    expect(JSON.stringify(project?.native)).toContain('ci-deployer@');
  });

  it('pages the RESOURCE listing, each page one document, then the IAM-only leftovers', async () => {
    const pages = await pagesOf(sweep({ pageSize: 4 })(null));
    // 15 RESOURCE records in pages of 4 (the last page's cursor points past them), then
    // one document of leftovers.
    expect(pages).toHaveLength(5);
    expect(pages.every((p) => p.documents.length === 1)).toBe(true);
    expect(pages.map((p) => JSON.parse(p.cursor).phase)).toEqual([
      'resources',
      'resources',
      'resources',
      'leftovers',
      'leftovers',
    ]);
    const last = pages.at(-1)!;
    const leftovers = resourcesOf([last]);
    expect(leftovers.map((r) => r.id).sort()).toEqual([
      '//cloudresourcemanager.googleapis.com/projects/847203951166-11',
      '//cloudresourcemanager.googleapis.com/projects/847203951166-12',
      '//cloudresourcemanager.googleapis.com/projects/847203951166-2',
    ]);
  });

  it('hands the inventory proto3 JSON, not the client defaults, Buffers or Timestamps objects', async () => {
    const [first] = await pagesOf(sweep({ pageSize: 1000 })(null));
    const document = first!.documents[0] as Record<string, unknown>[];
    const bucketIam = document.find(
      (r) => r['name'] === '//storage.googleapis.com/acme-public-assets' && r['iamPolicy'],
    )!;
    expect(bucketIam).toMatchObject({
      assetType: 'storage.googleapis.com/Bucket',
      iamPolicy: { version: 1, etag: 'CAU=' },
      updateTime: '2025-11-04T08:02:17.118Z',
      ancestors: ANCESTORS,
    });
    expect(bucketIam).not.toHaveProperty('orgPolicy');
    // The ORG_POLICY record goes with the page whose assets sit below it, as the export spells it.
    const projectPolicy = document.find(
      (r) => r['orgPolicy'] !== undefined && String(r['name']).endsWith(PROJECT_NUMBER),
    );
    expect(projectPolicy).toEqual({
      name: `//cloudresourcemanager.googleapis.com/projects/${PROJECT_NUMBER}`,
      assetType: 'cloudresourcemanager.googleapis.com/Project',
      orgPolicy: [
        {
          version: 2,
          constraint: 'constraints/storage.publicAccessPrevention',
          etag: 'BwYBz9nyiLc=',
          updateTime: '2025-06-18T12:41:03.883Z',
          booleanPolicy: { enforced: true },
        },
        {
          version: 2,
          constraint: 'constraints/iam.disableServiceAccountKeyCreation',
          etag: 'BwYBz9nyiLc=',
          updateTime: '2025-06-18T12:41:03.883Z',
          booleanPolicy: { enforced: true },
        },
      ],
      ancestors: ANCESTORS,
      updateTime: '2025-06-18T12:41:03.883Z',
    });
    expect(bucketIam).not.toHaveProperty('resource');
    const firewall = document.find((r) =>
      String(r['name']).endsWith('/firewalls/allow-ssh-anywhere'),
    )!;
    // Microseconds kept as the export wrote them; resource.data a plain object.
    expect(firewall['updateTime']).toBe('2025-10-14T16:40:09.371519Z');
    expect((firewall['resource'] as Record<string, unknown>)['data']).toMatchObject({
      direction: 'INGRESS',
    });
  });

  it('sweeps a project named by id: its assets only, the scope its id and number', async () => {
    const reader = sweep({ parent: `projects/${PROJECT_ID}`, pageSize: 5 });
    const swept = resourcesOf(await pagesOf(reader(null)));
    const expected = offlineResources().filter((r) => r.account === PROJECT_NUMBER);
    expect(byId(swept)).toEqual(byId(expected));
    expect([...(reader.scope.accounts ?? [])].sort()).toEqual([PROJECT_NUMBER, PROJECT_ID]);
  });

  it('lists every content type at one pinned snapshot, with the asked types', async () => {
    const from = file.standIn.requests().length;
    await pagesOf(sweep({ assetTypes: ['compute.googleapis.com/Firewall'] })(null));
    const calls = listCalls(from).map((e) => [e.request['contentType'], e.request['assetTypes']]);
    // No ORG_POLICY listing: only buckets read organization policies. The firewall rules are
    // listed twice: once held for their networks, once as the pages; the firewall policies
    // once, held for the rules below them.
    expect(calls).toEqual([
      ['CONTENT_TYPE_UNSPECIFIED', ['cloudresourcemanager.googleapis.com/Project']],
      ['IAM_POLICY', ['compute.googleapis.com/Firewall']],
      ['RESOURCE', ['compute.googleapis.com/Firewall']],
      ['RESOURCE', ['compute.googleapis.com/FirewallPolicy']],
      ['RESOURCE', ['compute.googleapis.com/Firewall']],
    ]);
    const readTimes = listCalls(from).map((e) => JSON.stringify(e.request['readTime'] ?? null));
    expect(new Set(readTimes.slice(1)).size).toBe(1);
  });

  it("judges each page's firewall rules with the denies of their network's other rules, as the offline scan does", async () => {
    // A deny of SSH from the internet at priority 900 in the network of the sample's
    // allow-ssh-anywhere (priority 1000), listed on a page of its own.
    const deny = nativeFixture('dd-net-001-compliant-ssh-open-behind-a-deny-of-the-network.json');
    const lines = [...seedLines(), JSON.stringify((deny as unknown[])[1])];
    const standIn = await startGcpStandIn({ seed: seed(lines) });
    const clients = clientsFor(standIn.endpoint);
    const pages = await pagesOf(
      assetSweep({ clients, parent: ORG, retry: FAST_RETRY, pageSize: 1 })(null),
    ).finally(async () => {
      await clients.close();
      await standIn.close();
    });
    const swept = resourcesOf(pages);
    expect(byId(swept)).toEqual(byId(offlineResources(lines)));
    const allow = swept.find((r) => r.name === 'allow-ssh-anywhere');
    expect(allow?.kind).toBe('network.firewall');
    expect(
      (allow?.properties as { networkDenyRules: { name: string }[] }).networkDenyRules.map(
        (r) => r.name,
      ),
    ).toEqual(['deny-ssh-from-internet']);
    // Context is never judged twice: each firewall rule is one resource of the sweep.
    expect(swept.filter((r) => r.name === 'deny-ssh-from-internet')).toHaveLength(1);
  });

  it("judges each page's firewall rules with the hierarchical firewall policies above them, listed under the organization", async () => {
    const [, policy] = nativeFixture(
      'dd-net-001-compliant-ssh-open-behind-an-organization-firewall-policy.json',
    ) as unknown[];
    const lines = [...seedLines(), JSON.stringify(policy)];
    const standIn = await startGcpStandIn({ seed: seed(lines) });
    const clients = clientsFor(standIn.endpoint);
    const reader = assetSweep({
      clients,
      parent: `projects/${PROJECT_ID}`,
      orgPolicyParent: ORG,
      retry: FAST_RETRY,
      pageSize: 1,
    });
    const pages = await pagesOf(reader(null)).finally(async () => {
      await clients.close();
      await standIn.close();
    });
    const swept = resourcesOf(pages);
    const allow = swept.find((r) => r.name === 'allow-ssh-anywhere');
    const levels = (allow?.properties as { policyLevels: { node: string }[] }).policyLevels;
    expect(levels.map((l) => l.node)).toEqual([ORG]);
    // The policy lives above the swept project: it is context, never a resource of the sweep.
    expect(swept.some((r) => r.nativeType === 'compute.googleapis.com/FirewallPolicy')).toBe(false);
  });
});

describe('assetSweep: options it refuses', () => {
  it('names an asset type it cannot sweep', () => {
    expect(() => sweep({ assetTypes: ['storage.googleapis.com/Buckets'] })).toThrow(
      /cannot sweep asset type "storage.googleapis.com\/Buckets"/,
    );
    expect(() => sweep({ assetTypes: [] })).toThrow(RangeError);
  });

  it('refuses a parent that is no hierarchy node and a page size past the API limit', () => {
    expect(() => sweep({ parent: 'projects/Bad_Id' })).toThrow(TypeError);
    expect(() => sweep({ parent: 'organizations/acme' })).toThrow(/organizations\/NUMBER/);
    expect(() => sweep({ pageSize: 1001 })).toThrow(RangeError);
    expect(() => sweep({ pageSize: 0 })).toThrow(RangeError);
  });
});

describe('assetSweep: its scope', () => {
  const PROJECTS = ['847203951166', '847203951166-11', '847203951166-12', '847203951166-2'];

  it('is every account until a run lists the projects, then exactly those under the parent', async () => {
    const reader = sweep({ parent: FOLDER });
    expect(reader.scope.accounts).toBeNull();
    await pagesOf(reader(null));
    expect([...(reader.scope.accounts ?? [])].sort()).toEqual(PROJECTS);
    expect(reader.scope).toMatchObject({ provider: 'gcp', regions: null });
  });

  it('of an organization: its projects, never every gcp account', async () => {
    const reader = sweep();
    await pagesOf(reader(null));
    const finding = (account: string) =>
      ({ provider: 'gcp', account, region: 'us', kind: 'storage.bucket' }) as FindingRecord;
    expect(inScope(reader.scope, finding(PROJECT_NUMBER))).toBe(true);
    expect(inScope(reader.scope, finding('999999999999'))).toBe(false);
    expect(inScope(reader.scope, { ...finding(PROJECT_NUMBER), kind: 'other' })).toBe(false);
  });

  it('covers a kind only when all its types are swept', () => {
    expect([...coveredKinds()].sort()).toEqual([
      'compute.instance',
      'database.instance',
      'iam.binding',
      'kms.key',
      'network.firewall',
      'serverless.function',
      'storage.bucket',
    ]);
    expect([...coveredKinds(['cloudresourcemanager.googleapis.com/Project'])]).toEqual([]);
    expect(
      gcpSweepScope('projects/my-project-1', ['storage.googleapis.com/Bucket'], ['123']),
    ).toEqual({
      provider: 'gcp',
      accounts: new Set(['123', 'my-project-1']),
      regions: null,
      kinds: new Set(['storage.bucket']),
    });
    // Without the projects found, a folder's scope resolves nothing.
    expect(gcpSweepScope(FOLDER).accounts).toEqual(new Set());
  });
});
