// Security Command Center v2 through the official client (@google-cloud/security-center v2).
import { readFileSync } from 'node:fs';
import { v2 } from '@google-cloud/security-center';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import { startGcpStandIn, type GcpStandIn } from './stand-in.js';

const seed = readFileSync(
  new URL('../../../../samples/gcp/cloud-asset-export.ndjson', import.meta.url),
  'utf8',
);
const ORG = 'organizations/671234098812';
const BUCKET = '//storage.googleapis.com/acme-public-assets';

let standIn: GcpStandIn;
let scc: v2.SecurityCenterClient;
let source: string;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed });
  scc = new v2.SecurityCenterClient(plaintextClientOptions(standIn.endpoint));
  const [created] = await scc.createSource({
    parent: ORG,
    source: { displayName: 'Drift Detective', description: 'configuration drift' },
  });
  source = created.name!;
});

afterAll(async () => {
  await scc.close();
  await standIn.close();
});

const finding = (category: string, resourceName = BUCKET) => ({
  resourceName,
  category,
  state: 'ACTIVE' as const,
  severity: 'HIGH' as const,
  findingClass: 'MISCONFIGURATION' as const,
  eventTime: { seconds: 1_760_000_000, nanos: 0 },
  sourceProperties: { rule: { stringValue: category }, open: { boolValue: true } },
});

describe('sources', () => {
  it('creates, gets and lists organization sources', async () => {
    expect(source).toMatch(/^organizations\/671234098812\/sources\/\d+$/);
    const [got] = await scc.getSource({ name: source });
    expect(got).toMatchObject({ displayName: 'Drift Detective', canonicalName: source });
    const [sources] = await scc.listSources({ parent: ORG });
    expect(sources.map((s) => s.name)).toEqual([source]);
    await expect(scc.getSource({ name: `${ORG}/sources/1` })).rejects.toMatchObject({ code: 5 });
    await expect(
      scc.createSource({ parent: ORG, source: { displayName: 'Drift Detective' } }),
    ).rejects.toMatchObject({
      code: 6,
    });
    await expect(
      scc.createSource({ parent: 'organizations/1', source: { displayName: 'x' } }),
    ).rejects.toMatchObject({
      code: 7,
    });
  });
});

describe('findings', () => {
  it('creates a finding named under locations/global, with its canonical name under the nearest ancestor', async () => {
    const [created] = await scc.createFinding({
      parent: source,
      findingId: 'publicbucket1',
      finding: finding('PUBLIC_BUCKET'),
    });
    expect(created).toMatchObject({
      name: `${source}/locations/global/findings/publicbucket1`,
      parent: `${source}/locations/global`,
      canonicalName: `projects/847203951166/sources/${source.split('/').pop()}/locations/global/findings/publicbucket1`,
      state: 'ACTIVE',
      mute: 'UNDEFINED',
      severity: 'HIGH',
    });
    expect(created.createTime?.seconds).toBeTruthy();
  });

  it('answers INVALID_ARGUMENT for a bad finding id, ALREADY_EXISTS twice, NOT_FOUND without the source', async () => {
    for (const findingId of ['', 'has-dash', 'x'.repeat(33)])
      await expect(
        scc.createFinding({ parent: source, findingId, finding: finding('X') }),
      ).rejects.toMatchObject({ code: 3 });
    await expect(
      scc.createFinding({
        parent: `${source}/locations/global`,
        findingId: 'publicbucket1',
        finding: finding('X'),
      }),
    ).rejects.toMatchObject({ code: 6 });
    await expect(
      scc.createFinding({ parent: `${ORG}/sources/42`, findingId: 'abc', finding: finding('X') }),
    ).rejects.toMatchObject({
      code: 5,
    });
  });

  it('updateFinding creates when absent and applies an update mask when present', async () => {
    const name = `${source}/locations/global/findings/openfirewall1`;
    const [created] = await scc.updateFinding({ finding: { ...finding('OPEN_FIREWALL'), name } });
    expect(created.name).toBe(name);
    const [updated] = await scc.updateFinding({
      finding: { name, severity: 'LOW', sourceProperties: { rule: { stringValue: 'changed' } } },
      updateMask: { paths: ['severity', 'source_properties.rule'] },
    });
    expect(updated.severity).toBe('LOW');
    expect(updated.sourceProperties?.['rule']?.stringValue).toBe('changed');
    expect(updated.sourceProperties?.['open']?.boolValue).toBe(true);
    // An empty mask replaces every mutable field, source_properties included.
    const [replaced] = await scc.updateFinding({
      finding: { name, severity: 'MEDIUM', sourceProperties: {} },
    });
    expect(replaced.severity).toBe('MEDIUM');
    expect(replaced.sourceProperties).toEqual({});
    await expect(
      scc.updateFinding({
        finding: { name, category: 'OTHER' },
        updateMask: { paths: ['category'] },
      }),
    ).rejects.toMatchObject({ code: 3 });
    await expect(
      scc.updateFinding({
        finding: { ...finding('X'), name: `${source}/locations/global/findings/bad_id` },
      }),
    ).rejects.toMatchObject({ code: 3 });
  });

  it('sets state and mute', async () => {
    const name = `${source}/locations/global/findings/publicbucket1`;
    const [inactive] = await scc.setFindingState({ name, state: 'INACTIVE' });
    expect(inactive.state).toBe('INACTIVE');
    const [muted] = await scc.setMute({ name, mute: 'MUTED' });
    expect(muted.mute).toBe('MUTED');
    expect(muted.muteUpdateTime?.seconds).toBeTruthy();
    await expect(scc.setFindingState({ name, state: 'STATE_UNSPECIFIED' })).rejects.toMatchObject({
      code: 3,
    });
    await expect(
      scc.setMute({ name: `${source}/findings/nope`, mute: 'MUTED' }),
    ).rejects.toMatchObject({ code: 5 });
    // A name without a location means global.
    const [active] = await scc.setFindingState({
      name: `${source}/findings/publicbucket1`,
      state: 'ACTIVE',
    });
    expect(active.name).toBe(name);
  });

  it('lists findings under a source or all sources (-), filtered and paged', async () => {
    for (let i = 0; i < 3; i += 1)
      await scc.createFinding({
        parent: source,
        findingId: `extra${i}`,
        finding: finding('EXTRA', '//x/y'),
      });
    const [all] = await scc.listFindings({ parent: `${ORG}/sources/-` });
    expect(all).toHaveLength(5);
    expect(all[0]!.resource?.name).toBeTruthy();
    const [extra] = await scc.listFindings({
      parent: source,
      filter: 'category="EXTRA" AND state="ACTIVE"',
    });
    expect(extra.map((r) => r.finding!.name!.split('/').pop())).toEqual([
      'extra0',
      'extra1',
      'extra2',
    ]);
    const [page, next] = await scc.listFindings(
      { parent: `${source}/locations/global`, pageSize: 2 },
      { autoPaginate: false },
    );
    expect(page).toHaveLength(2);
    expect(next?.pageToken).toBeTruthy();
    const [byProject] = await scc.listFindings({ parent: 'projects/847203951166/sources/-' });
    expect(byProject.map((r) => r.finding!.resourceName)).toEqual([BUCKET, BUCKET]);
  });

  it('shows findings in the REST JSON form, protobuf Values as plain JSON', () => {
    const shown = standIn.findings() as Record<string, unknown>[];
    expect(shown.find((f) => String(f['name']).endsWith('/publicbucket1'))).toMatchObject({
      state: 'ACTIVE',
      mute: 'MUTED',
      category: 'PUBLIC_BUCKET',
      resourceName: BUCKET,
      severity: 'HIGH',
      sourceProperties: { rule: 'PUBLIC_BUCKET', open: true },
      eventTime: '2025-10-09T08:53:20Z',
    });
    expect(standIn.writes()).toBeGreaterThan(5);
  });
});

describe('what the v2 API refuses or ignores in a written finding', () => {
  it('starts a finding ACTIVE whatever state is sent (Finding.state is OUTPUT_ONLY)', async () => {
    const name = `${source}/locations/global/findings/outputonly1`;
    const [created] = await scc.updateFinding({
      finding: { ...finding('X'), name, state: 'INACTIVE' },
    });
    expect(created.state).toBe('ACTIVE');
  });

  it('answers INVALID_ARGUMENT for a source property key or an event time it does not take', async () => {
    const name = `${source}/locations/global/findings/badfields1`;
    for (const key of ['1st', 'with-dash', '_under', ''])
      await expect(
        scc.updateFinding({
          finding: { ...finding('X'), name, sourceProperties: { [key]: { stringValue: 'v' } } },
        }),
      ).rejects.toMatchObject({ code: 3 });
    await expect(
      scc.updateFinding({
        finding: {
          ...finding('X'),
          name,
          eventTime: { seconds: Math.floor(Date.now() / 1000) + 3600 },
        },
      }),
    ).rejects.toMatchObject({ code: 3 });
    expect(
      standIn.findings().some((f) => String((f as { name: string }).name).endsWith('/badfields1')),
    ).toBe(false);
  });
});
