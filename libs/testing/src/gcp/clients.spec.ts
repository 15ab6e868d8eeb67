// The options that point the official clients at the stand-in, and what they spare: with
// `sslCreds` google-gax uses the channel credentials as given, and with `universeDomain`
// google-auth-library has no reason to look for Application Default Credentials.
import { v1 } from '@google-cloud/asset';
import { v2 } from '@google-cloud/security-center';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import { startGcpStandIn, type GcpStandIn } from './stand-in.js';

const seed = JSON.stringify({
  name: '//cloudresourcemanager.googleapis.com/projects/7',
  asset_type: 'cloudresourcemanager.googleapis.com/Project',
  iam_policy: { bindings: [{ role: 'roles/owner', members: ['user:a@example.com'] }] },
  ancestors: ['projects/7', 'organizations/42'],
});

let standIn: GcpStandIn;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed });
});

afterAll(async () => {
  await standIn.close();
});

describe('plaintextClientOptions', () => {
  it('splits host and port', () => {
    expect(plaintextClientOptions('127.0.0.1:4567')).toMatchObject({
      apiEndpoint: '127.0.0.1',
      port: 4567,
      universeDomain: 'googleapis.com',
    });
  });

  it('lets both clients call without ever asking for credentials', async () => {
    const assets = new v1.AssetServiceClient(plaintextClientOptions(standIn.endpoint));
    const scc = new v2.SecurityCenterClient(plaintextClientOptions(standIn.endpoint));
    const lookups = [vi.spyOn(assets.auth, 'getClient'), vi.spyOn(scc.auth, 'getClient')];
    const [found] = await assets.listAssets({ parent: 'projects/7', contentType: 'IAM_POLICY' });
    expect(found.map((a) => a.name)).toEqual(['//cloudresourcemanager.googleapis.com/projects/7']);
    await scc.listSources({ parent: 'organizations/42' });
    for (const lookup of lookups) expect(lookup).not.toHaveBeenCalled();
    await Promise.all([assets.close(), scc.close()]);
  });

  it('without universeDomain, google-auth-library goes looking for credentials', async () => {
    const { universeDomain: _, ...rest } = plaintextClientOptions(standIn.endpoint);
    const assets = new v1.AssetServiceClient(rest);
    const lookup = vi.spyOn(assets.auth, 'getClient').mockRejectedValue(new Error('no ADC here'));
    await assets.listAssets({ parent: 'projects/7', contentType: 'IAM_POLICY' });
    expect(lookup).toHaveBeenCalled();
    await assets.close();
  });
});
