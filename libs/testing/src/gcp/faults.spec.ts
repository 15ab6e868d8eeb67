// Injected faults, seen through the official clients and their retry settings: ListAssets
// retries UNAVAILABLE and DEADLINE_EXCEEDED (asset_service_client_config.json, "idempotent");
// the SCC v2 methods retry nothing (security_center_client_config.json, "non_idempotent").
import { readFileSync } from 'node:fs';
import { v1 } from '@google-cloud/asset';
import { v2 } from '@google-cloud/security-center';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { plaintextClientOptions } from './clients.js';
import {
  gcpFaultPlanFromRules,
  GcpFaultRuleError,
  gcpFaults,
  noGcpFaults,
  permissionOf,
  type GcpCallInfo,
  type GcpFault,
  type GcpFaultPlan,
} from './faults.js';
import { startGcpStandIn, type GcpStandIn } from './stand-in.js';

const seed = readFileSync(
  new URL('../../../../samples/gcp/cloud-asset-export.ndjson', import.meta.url),
  'utf8',
);
const ORG = 'organizations/671234098812';

let standIn: GcpStandIn;
let assets: v1.AssetServiceClient;
let scc: v2.SecurityCenterClient;
let source: string;

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed });
  assets = new v1.AssetServiceClient(plaintextClientOptions(standIn.endpoint));
  scc = new v2.SecurityCenterClient(plaintextClientOptions(standIn.endpoint));
  source = (await scc.createSource({ parent: ORG, source: { displayName: 'faults' } }))[0].name!;
});

afterAll(async () => {
  await assets.close();
  await scc.close();
  await standIn.close();
});

beforeEach(() => standIn.setFaults(noGcpFaults));

/** The first `n` calls of `method` (from now) get `fault`. */
function firstOf(method: string, n: number, fault: GcpFault): GcpFaultPlan {
  let seen = 0;
  return (call) => (call.method === method && seen++ < n ? fault : null);
}

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i += 1) await new Promise((r) => setTimeout(r, 20));
  expect(done()).toBe(true);
}

const since = (start: number) => standIn.requests().slice(start);
const listAssets = () => assets.listAssets({ parent: ORG, contentType: 'RESOURCE' });

describe('faults from a plan function', () => {
  it('UNAVAILABLE: ListAssets is retried by the client and succeeds', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(firstOf('ListAssets', 2, gcpFaults.unavailable()));
    expect((await listAssets())[0]).toHaveLength(14);
    expect(since(start).map((e) => [e.status, e.fault])).toEqual([
      ['UNAVAILABLE', 'unavailable'],
      ['UNAVAILABLE', 'unavailable'],
      ['OK', undefined],
    ]);
  });

  it('UNAVAILABLE: an SCC write is not retried and surfaces code 14', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(firstOf('CreateFinding', 1, gcpFaults.unavailable()));
    await expect(
      scc.createFinding({
        parent: source,
        findingId: 'f1',
        finding: { resourceName: '//x/y', category: 'C' },
      }),
    ).rejects.toMatchObject({ code: 14 });
    expect(since(start)).toHaveLength(1);
  });

  it('RESOURCE_EXHAUSTED carries a RetryInfo the client decodes', async () => {
    standIn.setFaults(firstOf('GetSource', 1, gcpFaults.resourceExhausted(2500)));
    const error = (await scc.getSource({ name: source }).catch((e: unknown) => e)) as {
      code: number;
      statusDetails?: { retryDelay?: { seconds?: unknown; nanos?: number } }[];
    };
    expect(error.code).toBe(8);
    expect(error.statusDetails?.[0]?.retryDelay).toMatchObject({ nanos: 500_000_000 });
    expect(Number(error.statusDetails?.[0]?.retryDelay?.seconds)).toBe(2);
  });

  it('DEADLINE_EXCEEDED from the server: retried for ListAssets, surfaced for SCC', async () => {
    standIn.setFaults(firstOf('ListAssets', 1, gcpFaults.deadlineExceeded()));
    expect((await listAssets())[0]).toHaveLength(14);
    standIn.setFaults(firstOf('ListSources', 1, gcpFaults.deadlineExceeded()));
    await expect(scc.listSources({ parent: ORG })).rejects.toMatchObject({ code: 4 });
  });

  it('delay: a slow answer arrives; a client deadline shorter than it fails with code 4', async () => {
    standIn.setFaults(firstOf('GetSource', 2, gcpFaults.delay(400)));
    const started = Date.now();
    expect((await scc.getSource({ name: source }))[0].name).toBe(source);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await expect(scc.getSource({ name: source }, { timeout: 100 })).rejects.toMatchObject({
      code: 4,
    });
    // The late answer lands (and is journaled) before the next test starts counting.
    await waitFor(() => standIn.requests().filter((e) => e.fault === 'delay').length >= 2);
  });

  it('drop: the connection is cut; SCC sees UNAVAILABLE, ListAssets reconnects and retries', async () => {
    standIn.setFaults(firstOf('GetSource', 1, gcpFaults.drop()));
    await expect(scc.getSource({ name: source })).rejects.toMatchObject({ code: 14 });
    expect(standIn.requests().at(-1)).toMatchObject({
      method: 'GetSource',
      code: null,
      status: 'DROPPED',
    });
    expect((await scc.getSource({ name: source }))[0].name).toBe(source);
    const start = standIn.requests().length;
    standIn.setFaults(firstOf('ListAssets', 1, gcpFaults.drop()));
    expect((await listAssets())[0]).toHaveLength(14);
    expect(since(start).map((e) => e.status)).toEqual(['DROPPED', 'OK']);
  });
});

describe('refusals for good, and the request in the plan', () => {
  const upsert = (findingId: string) =>
    scc.updateFinding({
      finding: {
        name: `${source}/locations/global/findings/${findingId}`,
        resourceName: '//storage.googleapis.com/acme-public-assets',
        category: 'C',
        state: 'ACTIVE',
        eventTime: { seconds: 1_760_000_000, nanos: 0 },
      },
    });

  it('the plan sees the decoded request: one finding of several is refused with PERMISSION_DENIED as IAM words it', async () => {
    const seen: GcpCallInfo[] = [];
    standIn.setFaults((call) => {
      seen.push(call);
      const finding = call.request['finding'] as { name?: string } | undefined;
      return finding?.name?.endsWith('/findings/denied1') === true
        ? gcpFaults.permissionDenied()
        : null;
    });
    await upsert('allowed1');
    const error = (await upsert('denied1').catch((e: unknown) => e)) as {
      code: number;
      details: string;
      reason?: string;
      domain?: string;
      errorInfoMetadata?: Record<string, string>;
    };
    await upsert('allowed2');
    const name = `${source}/locations/global/findings/denied1`;
    expect(error.code).toBe(7);
    expect(error.details).toBe(
      `Permission 'securitycenter.findings.update' denied on resource '${name}' (or it may not exist).`,
    );
    // google-gax promotes the ErrorInfo detail.
    expect(error).toMatchObject({
      reason: 'IAM_PERMISSION_DENIED',
      domain: 'iam.googleapis.com',
      errorInfoMetadata: { permission: 'securitycenter.findings.update', resource: name },
    });
    expect(seen.map((c) => [c.method, (c.request['finding'] as { name: string }).name])).toEqual([
      ['UpdateFinding', `${source}/locations/global/findings/allowed1`],
      ['UpdateFinding', name],
      ['UpdateFinding', `${source}/locations/global/findings/allowed2`],
    ]);
    const stored = (standIn.findings() as { name: string }[]).map((f) => f.name.split('/').pop());
    expect(stored).toContain('allowed1');
    expect(stored).toContain('allowed2');
    expect(stored).not.toContain('denied1');
    expect(standIn.requests().at(-2)).toMatchObject({
      status: 'PERMISSION_DENIED',
      fault: 'permissionDenied',
      request: { 'finding.name': name },
    });
  });

  it('PERMISSION_DENIED is not retried by the clients, even for ListAssets; the permission follows the content type', async () => {
    const start = standIn.requests().length;
    standIn.setFaults((call) =>
      call.method === 'ListAssets' ? gcpFaults.permissionDenied() : null,
    );
    await expect(
      assets.listAssets({ parent: ORG, contentType: 'IAM_POLICY' }),
    ).rejects.toMatchObject({
      code: 7,
      details: `Permission 'cloudasset.assets.listIamPolicy' denied on resource '${ORG}' (or it may not exist).`,
    });
    expect(since(start).filter((e) => e.method === 'ListAssets')).toHaveLength(1);
    expect(permissionOf('ListAssets', { contentType: 'RESOURCE' })).toBe(
      'cloudasset.assets.listResource',
    );
    expect(permissionOf('CreateSource')).toBe('securitycenter.sources.update');
  });

  it("INVALID_ARGUMENT, with a message of its own or Google's generic one; not retried", async () => {
    const start = standIn.requests().length;
    let n = 0;
    standIn.setFaults((call) =>
      call.method !== 'ListAssets'
        ? null
        : n++ === 0
          ? gcpFaults.invalidArgument('Invalid page token.')
          : gcpFaults.invalidArgument(),
    );
    await expect(listAssets()).rejects.toMatchObject({ code: 3, details: 'Invalid page token.' });
    await expect(listAssets()).rejects.toMatchObject({
      code: 3,
      details: 'Request contains an invalid argument.',
    });
    expect(since(start).map((e) => e.fault)).toEqual(['invalidArgument', 'invalidArgument']);
  });
});

describe('faults from rules', () => {
  it('applies the from-th to (from+count-1)-th matching calls', async () => {
    standIn.setFaults(
      gcpFaultPlanFromRules([
        {
          match: { service: 'AssetService', method: 'ListAssets' },
          fault: 'unavailable',
          from: 1,
          count: 1,
        },
      ]),
    );
    const start = standIn.requests().length;
    await listAssets();
    await listAssets();
    // (The delay test's late GetSource may land meanwhile.)
    expect(
      since(start)
        .filter((e) => e.method === 'ListAssets')
        .map((e) => e.status),
    ).toEqual(['OK', 'UNAVAILABLE', 'OK']);
  });

  it('match.name picks the calls naming one finding; permissionDenied and invalidArgument come from rules too', async () => {
    const start = standIn.requests().length;
    standIn.setFaults(
      gcpFaultPlanFromRules([
        {
          match: { service: 'SecurityCenter', method: 'SetFindingState', name: '/findings/ruled1' },
          fault: 'permissionDenied',
        },
        { match: { method: 'SetMute', name: 'ruled1' }, fault: 'invalidArgument', message: 'no' },
        {
          match: { method: 'SetFindingState' },
          fault: 'permissionDenied',
          permission: 'securitycenter.findings.bulkMuteUpdate',
          from: 1,
        },
      ]),
    );
    const name = (id: string) => `${source}/locations/global/findings/${id}`;
    for (const id of ['ruled1', 'ruled2', 'ruled3']) {
      await scc.createFinding({
        parent: source,
        findingId: id,
        finding: { resourceName: '//x/y', category: 'C', state: 'ACTIVE' },
      });
    }
    await expect(
      scc.setFindingState({ name: name('ruled1'), state: 'INACTIVE' }),
    ).rejects.toMatchObject({
      code: 7,
      details: expect.stringContaining("'securitycenter.findings.setState' denied"),
    });
    await expect(scc.setMute({ name: name('ruled1'), mute: 'MUTED' })).rejects.toMatchObject({
      code: 3,
      details: 'no',
    });
    // The first SetFindingState not naming ruled1 passes, the next is refused with the rule's permission.
    await scc.setFindingState({ name: name('ruled2'), state: 'INACTIVE' });
    await expect(
      scc.setFindingState({ name: name('ruled3'), state: 'INACTIVE' }),
    ).rejects.toMatchObject({
      code: 7,
      details: expect.stringContaining("'securitycenter.findings.bulkMuteUpdate' denied"),
    });
    expect(
      since(start)
        .filter((e) => e.method !== 'CreateFinding')
        .map((e) => [e.method, e.request['name'], e.status]),
    ).toEqual([
      ['SetFindingState', name('ruled1'), 'PERMISSION_DENIED'],
      ['SetMute', name('ruled1'), 'INVALID_ARGUMENT'],
      ['SetFindingState', name('ruled2'), 'OK'],
      ['SetFindingState', name('ruled3'), 'PERMISSION_DENIED'],
    ]);
  });

  it('PUT /_standin/faults takes the new kinds and match.name', async () => {
    const put = (body: string) =>
      fetch(`${standIn.admin}/_standin/faults`, { method: 'PUT', body });
    const ok = await put(
      JSON.stringify([
        { match: { method: 'ListAssets', name: ORG }, fault: 'permissionDenied', count: 1 },
      ]),
    );
    expect(ok.status).toBe(200);
    await expect(listAssets()).rejects.toMatchObject({ code: 7 });
    expect((await listAssets())[0]).toHaveLength(14);
    const bad = await put(JSON.stringify([{ match: { name: 3 }, fault: 'invalidArgument' }]));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'rule 0: match.name must be a non-empty string' });
  });

  it('refuses malformed rules, saying which', () => {
    expect(() => gcpFaultPlanFromRules({})).toThrow(GcpFaultRuleError);
    expect(() => gcpFaultPlanFromRules([{ fault: 'delay' }])).toThrow('rule 0: delay needs ms');
    expect(() => gcpFaultPlanFromRules([{ fault: 'boom' }])).toThrow(/fault must be/);
    expect(() => gcpFaultPlanFromRules([{ fault: 'boom' }])).toThrow(/permissionDenied/);
    expect(() => gcpFaultPlanFromRules([{ fault: 'permissionDenied', permission: 7 }])).toThrow(
      'rule 0: permission must be a string',
    );
    expect(() => gcpFaultPlanFromRules([{ match: 'x', fault: 'drop' }])).toThrow(
      'rule 0: match must be an object',
    );
  });
});
