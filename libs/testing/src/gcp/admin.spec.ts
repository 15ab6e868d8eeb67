// The stand-in's own HTTP API: what another process (or a person) uses to set it up and
// to look at what it saw.
import { v1 } from '@google-cloud/asset';
import { v2 } from '@google-cloud/security-center';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import type { GcpJournalEntry } from './journal.js';
import { startGcpStandIn, type GcpStandIn } from './stand-in.js';

const ORG = 'organizations/42';
const line = (name: string, data: Record<string, unknown>) =>
  JSON.stringify({
    name: `//storage.googleapis.com/${name}`,
    asset_type: 'storage.googleapis.com/Bucket',
    resource: { version: 'v1', parent: '//cloudresourcemanager.googleapis.com/projects/7', data },
    ancestors: ['projects/7', ORG],
    update_time: '2025-01-01T00:00:00Z',
  });

let standIn: GcpStandIn;
let assets: v1.AssetServiceClient;
let scc: v2.SecurityCenterClient;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed: line('one', { name: 'one' }) });
  assets = new v1.AssetServiceClient(plaintextClientOptions(standIn.endpoint));
  scc = new v2.SecurityCenterClient(plaintextClientOptions(standIn.endpoint));
});

afterAll(async () => {
  await assets.close();
  await scc.close();
  await standIn.close();
});

const admin = async (method: string, route: string, body?: string) => {
  const answer = await fetch(`${standIn.admin}/_standin/${route}`, {
    method,
    ...(body === undefined ? {} : { body }),
  });
  return { status: answer.status, body: (await answer.json()) as unknown };
};

const names = async () =>
  (await assets.listAssets({ parent: ORG, contentType: 'RESOURCE' }))[0].map((a) => a.name);

describe('the admin API', () => {
  it('gives the env a sweep needs', () => {
    expect(standIn.env).toEqual({
      DRIFT_GCP_ENDPOINT: standIn.endpoint,
      DRIFT_GCP_PLAINTEXT: 'true',
      DRIFT_GCP_ORGANIZATION: '42',
      GOOGLE_CLOUD_PROJECT: '7',
    });
    expect(standIn.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('PUT /_standin/assets replaces every asset with an export', async () => {
    const ndjson = `${line('two', { name: 'two' })}\n${line('three', { name: 'three' })}\n`;
    expect(await admin('PUT', 'assets', ndjson)).toEqual({ status: 200, body: { assets: 2 } });
    expect(await names()).toEqual([
      '//storage.googleapis.com/two',
      '//storage.googleapis.com/three',
    ]);
    const shown = (await admin('GET', 'assets')).body as Record<string, unknown>[];
    expect(shown[0]).toMatchObject({
      assetType: 'storage.googleapis.com/Bucket',
      resource: { data: { name: 'two' } },
    });
  });

  it('refuses an export it cannot read, naming the line', async () => {
    expect(
      await admin('PUT', 'assets', '{"name":"//x/y","asset_type":"t","resource":{}}\n{nope'),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('line 2 is not JSON') },
    });
    expect(await names()).toHaveLength(2);
  });

  it('GET /_standin/sources and /findings show SCC state in the REST JSON form', async () => {
    const [source] = await scc.createSource({ parent: ORG, source: { displayName: 'admin' } });
    await scc.createFinding({
      parent: source.name!,
      findingId: 'f1',
      finding: {
        resourceName: '//storage.googleapis.com/two',
        category: 'PUBLIC_BUCKET',
        sourceProperties: { detail: { structValue: { fields: { n: { numberValue: 3 } } } } },
      },
    });
    expect((await admin('GET', 'sources')).body).toEqual([
      { name: source.name, displayName: 'admin', canonicalName: source.name },
    ]);
    expect((await admin('GET', 'findings')).body).toEqual([
      {
        name: `${source.name}/locations/global/findings/f1`,
        canonicalName: `projects/7/sources/${source.name!.split('/').pop()}/locations/global/findings/f1`,
        parent: `${source.name}/locations/global`,
        resourceName: '//storage.googleapis.com/two',
        state: 'ACTIVE',
        category: 'PUBLIC_BUCKET',
        sourceProperties: { detail: { n: 3 } },
        createTime: expect.stringMatching(/Z$/),
        mute: 'UNDEFINED',
      },
    ]);
    expect((await admin('GET', 'writes')).body).toEqual({ writes: 2 });
  });

  it('GET /_standin/requests is the journal', async () => {
    const journal = (await admin('GET', 'requests')).body as GcpJournalEntry[];
    expect(journal.find((e) => e.method === 'CreateFinding')).toMatchObject({
      service: 'google.cloud.securitycenter.v2.SecurityCenter',
      request: { findingId: 'f1' },
      code: 0,
      status: 'OK',
    });
  });

  it('PUT /_standin/faults sets rules; [] clears them', async () => {
    expect(
      await admin(
        'PUT',
        'faults',
        JSON.stringify([{ match: { method: 'ListAssets' }, fault: 'resourceExhausted' }]),
      ),
    ).toEqual({
      status: 200,
      body: { rules: 1 },
    });
    await expect(names()).rejects.toMatchObject({ code: 8 });
    await admin('PUT', 'faults', '[]');
    expect(await names()).toHaveLength(2);
    expect((await admin('PUT', 'faults', '[{"fault":"nope"}]')).status).toBe(400);
    expect((await admin('PUT', 'faults', '{not json')).status).toBe(400);
  });

  it('answers 404 for what it does not have', async () => {
    expect((await admin('GET', 'nothing')).status).toBe(404);
  });
});
