import { describe, expect, it } from 'vitest';
import { coveredAncestors } from '../../src/pubsub/enricher.js';
import { assetFeedEnricher, type AssetHistoryRequest } from '../../src/pubsub/index.js';
import { stateAt } from '../../src/pubsub/as-of.js';
import { clone, nativeFixture } from '../helpers.js';
import { BACKUPS, ORG, pubsubFixture, pushOf, type Json } from './support.js';

const temporal = (start: string | null, extra: Json = {}): Json => ({
  asset: { name: BACKUPS, assetType: 'storage.googleapis.com/Bucket', ...extra },
  ...(start === null ? {} : { window: { startTime: start } }),
});

describe('the state in effect at the message time', () => {
  const states = [
    temporal('2026-11-20T09:00:00Z', { v: 1 }),
    temporal('2026-11-20T09:14:05.301772Z', { v: 2 }),
    temporal('2026-11-20T09:14:05.3018Z', { v: 3 }),
  ];
  const v = (s: Json | null) => (s?.['asset'] as Json | undefined)?.['v'];

  it('is the latest that began at or before it (to the microsecond), not the newest', () => {
    expect(v(stateAt(states, BACKUPS, '2026-11-20T09:14:05.301772Z'))).toBe(2);
    expect(v(stateAt(states, BACKUPS, '2026-11-20T09:14:05.301771Z'))).toBe(1);
    expect(v(stateAt(states, BACKUPS, '2026-11-21T00:00:00Z'))).toBe(3);
  });

  it('is the earliest when every state began later, and none for another asset', () => {
    expect(v(stateAt(states, BACKUPS, '2026-11-19T00:00:00Z'))).toBe(1);
    expect(stateAt(states, '//storage.googleapis.com/other', '2026-11-21T00:00:00Z')).toBeNull();
  });
});

describe('assetFeedEnricher', () => {
  const iamMessage = () => pubsubFixture('feed-iam-policy-bucket-allusers.json');

  function enricher(answer: (r: AssetHistoryRequest) => Json[], parent = ORG) {
    const asked: AssetHistoryRequest[] = [];
    const enrich = assetFeedEnricher({
      parent,
      history: async (request) => {
        asked.push(request);
        return answer(request);
      },
      firewalls: async () => [],
    });
    return { enrich, asked };
  }

  it('judges the deletion when the RESOURCE was deleted by the time of an IAM message', async () => {
    const gone = { ...temporal('2026-11-20T09:10:00Z'), deleted: true };
    const { enrich } = enricher((r) => (r.contentType === 'RESOURCE' ? [gone] : []));
    expect(await enrich(pushOf(iamMessage()), 's')).toEqual([gone]);
  });

  it('keeps the later updateTime of the two parts, and the message window and prior asset', async () => {
    const resource = temporal('2025-11-03T14:27:51.904Z', {
      resource: { data: { name: 'acme-backups' } },
      updateTime: '2025-11-03T14:27:51.904Z',
    });
    const { enrich, asked } = enricher((r) => (r.contentType === 'RESOURCE' ? [resource] : []));
    const [joined] = (await enrich(pushOf(iamMessage()), 's')) as Json[];
    const asset = joined?.['asset'] as Json;
    expect(asset['updateTime']).toBe('2026-11-20T09:14:05.301772Z');
    expect(asset['resource']).toEqual({ data: { name: 'acme-backups' } });
    expect(asset['iamPolicy']).toEqual((iamMessage()['asset'] as Json)['iamPolicy']);
    expect(joined?.['priorAsset']).toEqual(iamMessage()['priorAsset']);
    expect(joined?.['window']).toEqual(iamMessage()['window']);
    expect(asked[0]).toEqual({
      assetNames: [BACKUPS],
      contentType: 'RESOURCE',
      since: '2026-11-20T09:14:05.301772Z',
    });
  });

  it('judges nothing of a message carrying neither part (an ORG_POLICY feed)', async () => {
    const orgPolicy = {
      asset: {
        name: '//cloudresourcemanager.googleapis.com/projects/847203951166',
        assetType: 'cloudresourcemanager.googleapis.com/Project',
        orgPolicy: [{ constraint: 'constraints/storage.publicAccessPrevention' }],
      },
      window: { startTime: '2026-11-20T09:14:05Z' },
    };
    const { enrich, asked } = enricher(() => []);
    expect(await enrich(pushOf(orgPolicy), 's')).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('passes deletions, the welcome message and non-feed documents unchanged', async () => {
    const { enrich, asked } = enricher(() => []);
    for (const document of [
      pushOf(nativeFixture('feed-temporal-asset-deleted.json') as Json),
      nativeFixture('pubsub-push-feed-welcome.json'),
      nativeFixture('dd-storage-002-violating-allusers-object-viewer.json'),
    ]) {
      expect(await enrich(clone(document), 's')).toEqual(document);
    }
    expect(asked).toEqual([]);
  });

  it('reads the org policies of the ancestors its parent covers, as a sweep under it would', () => {
    const ancestors = ['projects/847203951166', 'folders/302194586720', ORG];
    expect(coveredAncestors(ancestors, ORG)).toEqual(ancestors);
    expect(coveredAncestors(ancestors, 'projects/847203951166')).toEqual(['projects/847203951166']);
    // A project parent named by id: the asset's project is that project.
    expect(coveredAncestors(ancestors, 'projects/dd-fixtures-prod')).toEqual([
      'projects/847203951166',
    ]);
    expect(coveredAncestors(ancestors, 'organizations/1')).toEqual([]);
  });
});

describe("assetFeedEnricher: a firewall rule's network", () => {
  const TIME = '2026-11-20T09:14:05.301772Z';
  // allow-ssh-anywhere and a deny of the same at a higher priority, in one network.
  const [allow, deny] = nativeFixture(
    'dd-net-001-compliant-ssh-open-behind-a-deny-of-the-network.json',
  ) as [Json, Json];
  const [, policy] = nativeFixture(
    'dd-net-001-compliant-ssh-open-behind-an-organization-firewall-policy.json',
  ) as [Json, Json];
  const messageOf = (record: Json, prior: Json = { priorAssetState: 'DOES_NOT_EXIST' }) => ({
    asset: {
      name: record['name'],
      assetType: record['asset_type'],
      resource: { data: (record['resource'] as Json)['data'] },
      ancestors: record['ancestors'],
    },
    window: { startTime: TIME },
    ...prior,
  });
  const enrich = (listed: Json[]) => {
    const projects: string[] = [];
    const run = assetFeedEnricher({
      parent: ORG,
      history: async () => [],
      firewalls: async ({ parent, assetType }) => {
        projects.push(`${parent} ${assetType}`);
        return assetType === 'compute.googleapis.com/Firewall' ? listed : [policy];
      },
    });
    return { run, projects };
  };

  it("sends an allow's message with the network's denies, as context only", async () => {
    const { run, projects } = enrich([allow, deny]);
    const [, ...beside] = (await run(messageOf(allow), 's')) as Json[];
    // The organization's firewall policy is associated with an ancestor: context too.
    expect(beside).toEqual([{ networkContext: deny }, { networkContext: policy }]);
    expect(projects).toEqual([
      'projects/dd-fixtures-prod compute.googleapis.com/Firewall',
      `${ORG} compute.googleapis.com/FirewallPolicy`,
    ]);
  });

  it("re-judges the network's other rules with a deny's message, or one whose prior state is unknown", async () => {
    const { run } = enrich([allow, deny]);
    for (const message of [
      messageOf(deny),
      messageOf(allow, { priorAssetState: 'INVALID' }),
      { ...messageOf(allow), priorAssetState: 'PRESENT', priorAsset: messageOf(deny)['asset'] },
    ]) {
      const [, ...beside] = (await run(message, 's')) as Json[];
      const other = message.asset.name === allow['name'] ? deny : allow;
      // Observed no earlier than the message: a late older message cannot override it.
      expect(beside).toEqual([{ ...other, updateTime: TIME }, { networkContext: policy }]);
    }
  });
});
