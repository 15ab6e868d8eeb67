// The least-privilege role of docs/gcp.md against what the adapter really
// calls: every gRPC call of an organization sweep that opens, mutes and
// resolves findings, and of the push path's reads that complete a feed
// message, each mapped to the IAM permission Google documents for it. The
// documented permissions must be exactly that set: nothing the adapter needs
// missing, nothing extra.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  assetFeedEnricher,
  cloudAssetFirewallReader,
  cloudAssetHistoryReader,
  createGcpClients,
} from '@drift-detective/provider-gcp';
import {
  GCP_ENV,
  startGcpStandIn,
  type GcpJournalEntry,
  type GcpStandIn,
} from '@drift-detective/testing';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adapter,
  adapterEnv,
  fixedRecords,
  PUBLIC_BUCKET,
  sampleRecords,
  tempDir,
  toNdjson,
} from './support.js';

const DOC = path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'gcp.md');

/** The YAML block under "## Least-privilege role" (a `gcloud iam roles create --file` role). */
function documentedPermissions(): string[] {
  const text = readFileSync(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Least-privilege role'));
  const block = /```yaml\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined) throw new Error('docs/gcp.md has no YAML block under its role heading');
  return (parseYaml(block) as { includedPermissions: string[] }).includedPermissions;
}

/**
 * The permission each call needs, as Google documents it per method:
 * Cloud Asset (https://cloud.google.com/asset-inventory/docs/roles-permissions):
 * ListAssets by content type, BatchGetAssetsHistory likewise with the export
 * permissions, and serviceusage.services.use for every Cloud Asset call;
 * Security Command Center v2 (each method's reference page,
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2).
 */
function permissionsOf(entry: GcpJournalEntry): string[] {
  const contentType = String(entry.request['contentType'] ?? 'CONTENT_TYPE_UNSPECIFIED');
  const byContent = (prefix: 'list' | 'export'): string => {
    switch (contentType) {
      // Unspecified: names only, the asset list itself, read with the resource permission.
      case 'RESOURCE':
      case 'CONTENT_TYPE_UNSPECIFIED':
        return `cloudasset.assets.${prefix}Resource`;
      case 'IAM_POLICY':
        return `cloudasset.assets.${prefix}IamPolicy`;
      case 'ORG_POLICY':
        return `cloudasset.assets.${prefix}OrgPolicy`;
      default:
        throw new Error(`no permission known for content type ${contentType}`);
    }
  };
  switch (`${entry.service.split('.').pop()}/${entry.method}`) {
    case 'AssetService/ListAssets':
      return [byContent('list'), 'serviceusage.services.use'];
    case 'AssetService/BatchGetAssetsHistory':
      return [byContent('export'), 'serviceusage.services.use'];
    case 'SecurityCenter/ListSources':
      return ['securitycenter.sources.list'];
    // organizations.sources.create is authorized by sources.update on the organization.
    case 'SecurityCenter/CreateSource':
      return ['securitycenter.sources.update'];
    case 'SecurityCenter/UpdateFinding':
      return ['securitycenter.findings.update'];
    case 'SecurityCenter/SetFindingState':
      return ['securitycenter.findings.setState'];
    case 'SecurityCenter/SetMute':
      return ['securitycenter.findings.setMute'];
    default:
      throw new Error(`no permission known for ${entry.service}/${entry.method}`);
  }
}

/**
 * The two feed messages of the bucket, as Cloud Asset publishes them: its
 * RESOURCE (completed with its IAM policy) and its IAM_POLICY (completed with
 * its resource and the organization policies above it).
 */
function feedMessages(): unknown[] {
  const now = new Date().toISOString();
  return sampleRecords()
    .filter((r) => r.name === PUBLIC_BUCKET)
    .map((r) => ({
      asset: {
        name: r.name,
        assetType: r.asset_type,
        ancestors: r['ancestors'],
        ...(r['resource'] === undefined ? {} : { resource: r['resource'] }),
        ...(r['iam_policy'] === undefined ? {} : { iamPolicy: r['iam_policy'] }),
        updateTime: now,
      },
      window: { startTime: now },
    }));
}

describe('the least-privilege role in docs/gcp.md', () => {
  let standIn: GcpStandIn;
  beforeAll(async () => {
    standIn = await startGcpStandIn({ seed: toNdjson(sampleRecords()) });
  });
  afterAll(async () => standIn.close());

  it('holds exactly the permissions of the calls a sweep and the push path make', async () => {
    const dir = await tempDir('drift-gcp-role-');
    const state = path.join(dir, 'state.db');
    // A waiver makes the sweep mute a finding; the fix makes it set findings INACTIVE.
    const waivers = path.join(dir, 'waivers.yaml');
    await writeFile(
      waivers,
      [
        'waivers:',
        '  - rule: DD-KMS-001',
        "    resource: { id: '//cloudkms.googleapis.com/*' }",
        '    reason: Rotation handled by the key custodian',
        '    owner: security@example.com',
        '    expires: 2099-12-31',
        '',
      ].join('\n'),
    );
    const env = adapterEnv(standIn, state, { DRIFT_WAIVERS: waivers });
    const first = await adapter(['sweep'], env);
    expect(first.code, first.stderr).toBe(0);
    standIn.replaceAssets(toNdjson(fixedRecords()));
    const second = await adapter(['sweep'], env);
    expect(second.code, second.stderr).toBe(0);

    // The push path's reads: the enricher serve wires, under the organization.
    const clients = createGcpClients({
      endpoint: standIn.endpoint,
      plaintext: true,
      requestTimeoutMs: 5000,
    });
    try {
      const parent = `organizations/${standIn.env[GCP_ENV.organization]}`;
      const enrich = assetFeedEnricher({
        history: cloudAssetHistoryReader(clients, { parent }),
        firewalls: cloudAssetFirewallReader(clients),
        parent,
      });
      const messages = feedMessages();
      expect(messages).toHaveLength(2);
      for (const message of messages) await enrich(message, 'role-test');
    } finally {
      await clients.close();
    }

    const calls = standIn.requests().filter((e) => e.code === 0);
    const methods = new Set(calls.map((e) => e.method));
    // Every kind of call the adapter makes is in what was exercised.
    expect([...methods].sort()).toEqual([
      'BatchGetAssetsHistory',
      'CreateSource',
      'ListAssets',
      'ListSources',
      'SetFindingState',
      'SetMute',
      'UpdateFinding',
    ]);
    const needed = new Set(calls.flatMap(permissionsOf));
    expect([...documentedPermissions()].sort()).toEqual([...needed].sort());
  });
});
