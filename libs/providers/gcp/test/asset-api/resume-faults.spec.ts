// Resuming from saved cursors, faults on listAssets, permanent refusals and the stop.
import { gcpFaults, type GcpFault } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { assetSweep, type AssetSweepOptions } from '../../src/asset-api/index.js';
import type { GcpRetryInfo } from '../../src/grpc/retry.js';
import {
  byId,
  FAST_RETRY,
  offlineResources,
  ORG,
  pagesOf,
  resourcesOf,
  seededStandIn,
} from './harness.js';

const file = seededStandIn();

const sweep = (options: Partial<AssetSweepOptions> = {}) =>
  assetSweep({ clients: file.clients, parent: ORG, retry: FAST_RETRY, pageSize: 4, ...options });

const ids = (pages: Parameters<typeof resourcesOf>[0]) => resourcesOf(pages).map((r) => r.id);

/** The ListAssets calls numbered `at` (from 0, retries included, counted from now) fail with `fault`. */
function failing(at: readonly number[], fault: GcpFault) {
  const start = file.standIn.requests().filter((e) => e.method === 'ListAssets').length;
  return ({ method, index }: { method: string; index: number }) =>
    method === 'ListAssets' && at.includes(index - start) ? fault : null;
}

describe('resuming a saved cursor', () => {
  it('after any page yields the rest, and nothing twice', async () => {
    const full = await pagesOf(sweep()(null));
    const expected = byId(offlineResources()).map((r) => r.id);
    for (const [k, page] of full.entries()) {
      const rest = await pagesOf(sweep()(page.cursor));
      expect(rest.map((p) => p.cursor)).toEqual(full.slice(k + 1).map((p) => p.cursor));
      const all = [...ids(full.slice(0, k + 1)), ...ids(rest)];
      expect(all.sort()).toEqual(expected);
    }
  });

  it('in the leftovers, left by a run that did not see the RESOURCE pages, sends the same ones', async () => {
    const full = await pagesOf(sweep({ pageSize: 1 })(null));
    const firstLeftover = full.findIndex((p) => JSON.parse(p.cursor).phase === 'leftovers') + 1;
    // The cursor of the last RESOURCE page: a new run knows no IAM record was taken yet.
    const rest = await pagesOf(sweep({ pageSize: 1 })(full[firstLeftover - 1]!.cursor));
    expect(ids(rest)).toEqual(ids(full.slice(firstLeftover)));
    expect(ids(rest)).toHaveLength(3);
  });

  it('starts over, with a warning, from a cursor of another sweep or a refused page token', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => void warnings.push(message) };
    const [first] = await pagesOf(sweep()(null));
    const otherTypes = sweep({ assetTypes: ['storage.googleapis.com/Bucket'], logger });
    const buckets = await pagesOf(otherTypes(first!.cursor));
    expect(ids(buckets)).toContain('//storage.googleapis.com/acme-exports');
    expect(warnings).toEqual(['saved sweep cursor is of another sweep: sweeping from the start']);

    const forged = JSON.stringify({ ...JSON.parse(first!.cursor), pageToken: 'bm90LWEtdG9rZW4' });
    const again = await pagesOf(sweep({ logger })(forged));
    expect(ids(again).sort()).toEqual(byId(offlineResources()).map((r) => r.id));
    expect(warnings.at(-1)).toMatch(/refused by Cloud Asset Inventory/);
  });

  it('starts over from a snapshot older than read_time reaches', async () => {
    const [first] = await pagesOf(sweep()(null));
    const later = () => new Date(Date.now() + 40 * 24 * 60 * 60 * 1000);
    const warnings: string[] = [];
    const pages = await pagesOf(
      sweep({
        now: later,
        logger: { warn: (fields) => void warnings.push(JSON.stringify(fields)) },
      })(first!.cursor),
    );
    expect(ids(pages).sort()).toEqual(byId(offlineResources()).map((r) => r.id));
    expect(warnings[0]).toMatch(/can no longer be read/);
  });

  it('refuses what is no cursor of this reader, before any call', async () => {
    const calls = file.standIn.requests().length;
    await expect(pagesOf(sweep()('{"v":1,"subscription":"x"}'))).rejects.toThrow(
      /not a Cloud Asset sweep cursor/,
    );
    await expect(pagesOf(sweep()('garbage'))).rejects.toThrow(/not JSON/);
    expect(file.standIn.requests()).toHaveLength(calls);
  });
});

describe('faults', () => {
  it('RESOURCE_EXHAUSTED and UNAVAILABLE are backed off (RetryInfo honoured) and lose or repeat nothing', async () => {
    const expected = byId(offlineResources()).map((r) => r.id);
    const retries: GcpRetryInfo[] = [];
    // Calls 0–2: projects, ORG_POLICY, IAM_POLICY; 3 on: RESOURCE pages (and their retries).
    const quota = failing([1, 4, 5], gcpFaults.resourceExhausted(30));
    const down = failing([2, 8], gcpFaults.unavailable());
    file.standIn.setFaults((call) => quota(call) ?? down(call));
    const pages = await pagesOf(
      sweep({ retry: { ...FAST_RETRY, onRetry: (info) => void retries.push(info) } })(null),
    );
    expect(ids(pages).sort()).toEqual(expected);
    expect(new Set(ids(pages)).size).toBe(expected.length);
    expect(retries.map((r) => r.code).sort()).toEqual([14, 14, 8, 8, 8].sort());
    // The wait asked by RetryInfo (30 ms) beats the jitter draw (0 here).
    expect(retries.filter((r) => r.code === 8).every((r) => r.delayMs >= 30)).toBe(true);
  });

  it('a permanent refusal fails the sweep with one line naming the call', async () => {
    const reader = sweep({ parent: 'organizations/999' });
    const failure = await pagesOf(reader(null)).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(
      'listAssets CONTENT_TYPE_UNSPECIFIED under organizations/999 failed: PERMISSION_DENIED: The caller does not have permission on organizations/999',
    );
    expect(reader.scope.accounts).toBeNull();
  });

  it('gives up after its retries with the code of the last failure', async () => {
    file.standIn.setFaults(failing([0, 1, 2], gcpFaults.unavailable()));
    await expect(
      pagesOf(sweep({ retry: { ...FAST_RETRY, maxRetries: 2 } })(null)),
    ).rejects.toMatchObject({
      name: 'AssetListError',
      code: 14,
    });
  });

  it('the signal stops the call in flight and the sweep', async () => {
    const controller = new AbortController();
    file.standIn.setFaults(failing([3], gcpFaults.delay(2_000)));
    const started = Date.now();
    const pages: unknown[] = [];
    const run = (async () => {
      for await (const page of sweep({ signal: controller.signal })(null)) pages.push(page);
    })();
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(pages).toEqual([]);
  });
});
