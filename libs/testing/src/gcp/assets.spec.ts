// ListAssets through the official client (@google-cloud/asset v1), against the sample export.
import { readFileSync } from 'node:fs';
import { v1 } from '@google-cloud/asset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import { startGcpStandIn, type GcpStandIn } from './stand-in.js';

const samplePath = new URL('../../../../samples/gcp/cloud-asset-export.ndjson', import.meta.url);
const seed = readFileSync(samplePath, 'utf8');
const lines = seed
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const ORG = 'organizations/671234098812';

type Value = {
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, Value> };
  listValue?: { values?: Value[] };
};

/** google.protobuf.Struct → JSON, written here apart from the stand-in's own converter. */
function plain(value: Value): unknown {
  if (value.structValue !== undefined && value.structValue !== null)
    return Object.fromEntries(
      Object.entries(value.structValue.fields ?? {}).map(([k, v]) => [k, plain(v)]),
    );
  if (value.listValue !== undefined && value.listValue !== null)
    return (value.listValue.values ?? []).map(plain);
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.numberValue === 'number') return value.numberValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  return null;
}

let standIn: GcpStandIn;
let client: v1.AssetServiceClient;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed });
  client = new v1.AssetServiceClient(plaintextClientOptions(standIn.endpoint));
});

afterAll(async () => {
  await client.close();
  await standIn.close();
});

describe('ListAssets', () => {
  it('answers RESOURCE records whose resource.data Struct decodes back to the seed', async () => {
    const [assets] = await client.listAssets({ parent: ORG, contentType: 'RESOURCE' });
    const seeded = lines.filter((l) => l['resource'] !== undefined);
    expect(assets.map((a) => a.name)).toEqual(seeded.map((l) => l['name']));
    for (const [i, asset] of assets.entries()) {
      const resource = seeded[i]!['resource'] as Record<string, unknown>;
      expect(plain({ structValue: asset.resource!.data as never })).toEqual(resource['data']);
      expect(asset.resource).toMatchObject({
        version: resource['version'],
        discoveryDocumentUri: resource['discovery_document_uri'],
        discoveryName: resource['discovery_name'],
        parent: resource['parent'],
        location: resource['location'] ?? '',
      });
      expect(asset.ancestors).toEqual(seeded[i]!['ancestors']);
      // Export times carry microseconds; the Timestamp keeps every digit.
      const time = String(seeded[i]!['update_time']);
      expect(asset.updateTime).toMatchObject({
        seconds: String(Math.floor(Date.parse(time) / 1000)),
        nanos: Number((/\.(\d+)Z$/.exec(time)?.[1] ?? '').padEnd(9, '0')),
      });
    }
  });

  it('answers the IAM_POLICY record of an asset apart from its RESOURCE record', async () => {
    const [assets] = await client.listAssets({
      parent: ORG,
      contentType: 'IAM_POLICY',
      assetTypes: ['storage.googleapis.com/Bucket'],
    });
    expect(assets.map((a) => a.name)).toEqual([
      '//storage.googleapis.com/acme-public-assets',
      '//storage.googleapis.com/acme-public-assets-17',
    ]);
    expect(assets[0]!.resource).toBeNull();
    expect(assets[0]!.iamPolicy!.bindings!.map((b) => b.role)).toContain(
      'roles/storage.objectViewer',
    );
  });

  it('answers names only without a content type, one entry per asset', async () => {
    const [assets] = await client.listAssets({
      parent: ORG,
      assetTypes: ['storage.googleapis.com/Bucket'],
    });
    expect(assets).toHaveLength(6);
    expect(assets.every((a) => a.resource === null && a.iamPolicy === null)).toBe(true);
  });

  it('filters by asset type expression and by project (number or id) or folder', async () => {
    const [compute] = await client.listAssets({
      parent: ORG,
      contentType: 'RESOURCE',
      assetTypes: ['compute.googleapis.com.*'],
    });
    expect(compute.map((a) => a.assetType)).toEqual(
      Array(4).fill('compute.googleapis.com/Firewall'),
    );
    const [byNumber] = await client.listAssets({
      parent: 'projects/847203951166',
      contentType: 'RESOURCE',
    });
    const [byId] = await client.listAssets({
      parent: 'projects/dd-fixtures-prod',
      contentType: 'RESOURCE',
    });
    const [byFolder] = await client.listAssets({
      parent: 'folders/302194586720',
      contentType: 'RESOURCE',
    });
    expect(byId.map((a) => a.name)).toEqual(byNumber.map((a) => a.name));
    expect(byFolder).toHaveLength(byNumber.length);
  });

  it('pages with page_size and next_page_token, as listAssetsAsync follows them', async () => {
    const [first, next, response] = await client.listAssets(
      { parent: ORG, contentType: 'RESOURCE', pageSize: 5 },
      { autoPaginate: false },
    );
    expect(first).toHaveLength(5);
    expect(next?.pageToken).toBe(response.nextPageToken);
    const all: string[] = [];
    for await (const asset of client.listAssetsAsync({
      parent: ORG,
      contentType: 'RESOURCE',
      pageSize: 5,
    }))
      all.push(asset.name!);
    expect(all).toHaveLength(14);
    const pages = standIn
      .requests()
      .filter((e) => e.method === 'ListAssets' && e.request['pageSize'] === 5);
    expect(pages.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses a malformed parent, an unknown one, and a page token of another query', async () => {
    await expect(client.listAssets({ parent: 'org/1' })).rejects.toMatchObject({ code: 3 });
    await expect(client.listAssets({ parent: 'organizations/999' })).rejects.toMatchObject({
      code: 7,
    });
    const [, , response] = await client.listAssets(
      { parent: ORG, contentType: 'RESOURCE', pageSize: 2 },
      { autoPaginate: false },
    );
    await expect(
      client.listAssets(
        { parent: ORG, contentType: 'IAM_POLICY', pageToken: response.nextPageToken! },
        { autoPaginate: false },
      ),
    ).rejects.toMatchObject({ code: 3 });
  });
});
