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
    expect(since(start).map((e) => e.status)).toEqual(['OK', 'UNAVAILABLE', 'OK']);
  });

  it('refuses malformed rules, saying which', () => {
    expect(() => gcpFaultPlanFromRules({})).toThrow(GcpFaultRuleError);
    expect(() => gcpFaultPlanFromRules([{ fault: 'delay' }])).toThrow('rule 0: delay needs ms');
    expect(() => gcpFaultPlanFromRules([{ fault: 'boom' }])).toThrow(/fault must be/);
  });
});
