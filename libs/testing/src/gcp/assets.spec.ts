// ListAssets through the official client (@google-cloud/asset v1), against the sample export.
import { readFileSync } from 'node:fs';
import { v1 } from '@google-cloud/asset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import { gcpFaults, noGcpFaults } from './faults.js';
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

/** A Timestamp `ms` milliseconds from now, as the client takes one. */
const ago = (ms: number) => {
  const at = Date.now() - ms;
  return { seconds: Math.floor(at / 1000), nanos: (at % 1000) * 1_000_000 };
};
const DAY = 24 * 3600 * 1000;
const PUBLIC_BUCKET = '//storage.googleapis.com/acme-public-assets';

describe('BatchGetAssetsHistory', () => {
  it('answers the RESOURCE of an asset as a TemporalAsset open since its update_time', async () => {
    const [response] = await client.batchGetAssetsHistory({
      parent: ORG,
      assetNames: [PUBLIC_BUCKET],
      contentType: 'RESOURCE',
      readTimeWindow: { startTime: ago(60_000) },
    });
    const seeded = lines.find((l) => l['name'] === PUBLIC_BUCKET && l['resource'] !== undefined)!;
    expect(response.assets).toHaveLength(1);
    const [temporal] = response.assets!;
    expect(temporal!.deleted).toBe(false);
    expect(temporal!.window!.startTime).toMatchObject({
      seconds: String(Math.floor(Date.parse(String(seeded['update_time'])) / 1000)),
    });
    expect(temporal!.window!.endTime).toBeNull();
    expect(temporal!.asset!.iamPolicy).toBeNull();
    expect(plain({ structValue: temporal!.asset!.resource!.data as never })).toEqual(
      (seeded['resource'] as Record<string, unknown>)['data'],
    );
  });

  it('answers the IAM_POLICY apart, and nothing for an asset without one', async () => {
    const [withPolicy] = await client.batchGetAssetsHistory({
      parent: 'projects/dd-fixtures-prod',
      assetNames: [PUBLIC_BUCKET, '//storage.googleapis.com/acme-exports'],
      contentType: 'IAM_POLICY',
      readTimeWindow: { startTime: ago(60_000) },
    });
    expect(withPolicy.assets!.map((a) => a.asset!.name)).toEqual([PUBLIC_BUCKET]);
    expect(withPolicy.assets![0]!.asset!.resource).toBeNull();
    expect(withPolicy.assets![0]!.asset!.iamPolicy!.bindings!.map((b) => b.members)).toContainEqual(
      ['allUsers'],
    );
  });

  it('answers nothing for a window that ends before the held state began', async () => {
    const seed = `${JSON.stringify({
      ...lines.find((l) => l['name'] === PUBLIC_BUCKET)!,
      update_time: new Date(Date.now() - 60_000).toISOString(),
    })}\n`;
    const recent = await startGcpStandIn({ seed });
    const other = new v1.AssetServiceClient(plaintextClientOptions(recent.endpoint));
    try {
      const ask = (endTime: { seconds: number; nanos: number }) =>
        other.batchGetAssetsHistory({
          parent: ORG,
          assetNames: [PUBLIC_BUCKET],
          contentType: 'RESOURCE',
          readTimeWindow: { startTime: ago(DAY), endTime },
        });
      expect((await ask(ago(120_000)))[0].assets).toEqual([]);
      expect((await ask(ago(0)))[0].assets).toHaveLength(1);
    } finally {
      await other.close();
      await recent.close();
    }
  });

  it('refuses what the proto rules out: folder parents, unknown assets, >100 names, old windows', async () => {
    const ask = (request: Parameters<typeof client.batchGetAssetsHistory>[0]) =>
      client.batchGetAssetsHistory({
        contentType: 'RESOURCE',
        readTimeWindow: { startTime: ago(60_000) },
        ...request,
      });
    await expect(
      ask({ parent: 'folders/302194586720', assetNames: [PUBLIC_BUCKET] }),
    ).rejects.toMatchObject({ code: 3 });
    await expect(
      ask({ parent: ORG, assetNames: ['//storage.googleapis.com/no-such-bucket'] }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/does not exist/) });
    await expect(
      ask({ parent: ORG, assetNames: Array<string>(101).fill(PUBLIC_BUCKET) }),
    ).rejects.toMatchObject({ code: 3 });
    await expect(
      ask({
        parent: ORG,
        assetNames: [PUBLIC_BUCKET],
        readTimeWindow: { startTime: ago(36 * DAY) },
      }),
    ).rejects.toMatchObject({ code: 3, details: expect.stringMatching(/35 days/) });
    await expect(
      ask({ parent: ORG, assetNames: [PUBLIC_BUCKET], contentType: 'CONTENT_TYPE_UNSPECIFIED' }),
    ).rejects.toMatchObject({ code: 3 });
    await expect(
      ask({ parent: 'organizations/999', assetNames: [PUBLIC_BUCKET] }),
    ).rejects.toMatchObject({ code: 7 });
    // An asset outside the parent does not exist there.
    await expect(
      ask({ parent: 'projects/847203951166-2', assetNames: [PUBLIC_BUCKET] }),
    ).rejects.toMatchObject({ code: 3 });
    const [none] = await ask({ parent: ORG, assetNames: [] });
    expect(none.assets).toEqual([]);
    // A folder the held assets lie under exists, though the seed holds no record of it.
    const [folder] = await ask({
      parent: ORG,
      assetNames: ['//cloudresourcemanager.googleapis.com/folders/302194586720'],
      contentType: 'ORG_POLICY',
    });
    expect(folder.assets).toEqual([]);
  });

  it('takes the injected faults like every other call, and is journalled', async () => {
    let faulted = 0;
    standIn.setFaults(({ method }) =>
      method === 'BatchGetAssetsHistory' && faulted++ === 0 ? gcpFaults.unavailable() : null,
    );
    const start = standIn.requests().length;
    try {
      const request = {
        parent: ORG,
        assetNames: [PUBLIC_BUCKET],
        contentType: 'RESOURCE' as const,
        readTimeWindow: { startTime: ago(60_000) },
      };
      // The client's own retries off, as the adapter calls it (grpc/clients.ts callOptions).
      const options = { retry: null, timeout: 5000 } as never;
      await expect(client.batchGetAssetsHistory(request, options)).rejects.toMatchObject({
        code: 14,
      });
      const [answer] = await client.batchGetAssetsHistory(request, options);
      expect(answer.assets).toHaveLength(1);
      expect(
        standIn
          .requests()
          .slice(start)
          .map((e) => [e.method, e.status, e.fault]),
      ).toEqual([
        ['BatchGetAssetsHistory', 'UNAVAILABLE', 'unavailable'],
        ['BatchGetAssetsHistory', 'OK', undefined],
      ]);
    } finally {
      standIn.setFaults(noGcpFaults);
    }
  });
});
