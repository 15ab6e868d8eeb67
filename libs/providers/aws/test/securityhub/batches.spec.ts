import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Observation } from '@drift-detective/findings';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonBytes, MAX_FINDING_BYTES } from '../../src/securityhub/asff-limits.js';
import { batchBySize, chunk } from '../../src/securityhub/batches.js';
import { MAX_BATCH_BYTES, MAX_BATCH_FINDINGS, toAsff } from '../../src/securityhub/index.js';
import { manyFindings, observationOf } from './records.js';

const NOW = '2026-11-03T10:00:00.000Z';
let sshOpen: Observation;

beforeAll(async () => {
  sshOpen = await observationOf('dd-net-001-violating-ssh-open.json');
});

/** Bytes of the request body a batch makes: what the 6 MB limit is about. */
const bodyBytes = (batch: readonly AwsSecurityFinding[]) => jsonBytes({ Findings: batch });

/** n ASFF findings of about `bytes` each (the remediation and tags are the padding). */
function findings(n: number, bytes: number): AwsSecurityFinding[] {
  return manyFindings(sshOpen, n, NOW).map((record) => {
    const small = toAsff(record, { now: NOW, homeRegion: 'us-east-1' });
    const pad = 'x'.repeat(Math.max(0, bytes - jsonBytes(small)));
    return { ...small, ProductFields: { ...small.ProductFields, pad } };
  });
}

describe('batchBySize', () => {
  it('sends at most 100 findings per request', () => {
    const batches = batchBySize(findings(250, 2_000));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('closes a batch before its request body would pass 6 MB', () => {
    // 230 KB findings: 100 of them would be 23 MB, 27 make 6.2 MB.
    const big = findings(60, 230_000);
    expect(jsonBytes(big[0])).toBeLessThanOrEqual(MAX_FINDING_BYTES);
    const batches = batchBySize(big);
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) expect(bodyBytes(batch)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    // Full: one more finding would have passed the limit.
    for (const [i, batch] of batches.slice(0, -1).entries()) {
      const next = batches[i + 1]![0]!;
      expect(bodyBytes([...batch, next])).toBeGreaterThan(MAX_BATCH_BYTES);
    }
    expect(batches.flat().map((f) => f.Id)).toEqual(big.map((f) => f.Id));
  });

  it('counts the envelope and the commas: a body exactly at the limit fits, one byte less does not', () => {
    const three = findings(3, 1_000);
    const exact = bodyBytes(three);
    expect(batchBySize(three, { maxCount: MAX_BATCH_FINDINGS, maxBytes: exact })).toHaveLength(1);
    expect(
      batchBySize(three, { maxCount: MAX_BATCH_FINDINGS, maxBytes: exact - 1 }).map(
        (b) => b.length,
      ),
    ).toEqual([2, 1]);
  });

  it('keeps an item over the limit in a batch of its own rather than losing it', () => {
    const [a, b, c] = findings(3, 1_000);
    const batches = batchBySize([a!, b!, c!], { maxCount: 100, maxBytes: 500 });
    expect(batches).toEqual([[a], [b], [c]]);
  });

  it('makes no batch of nothing', () => {
    expect(batchBySize([])).toEqual([]);
  });
});

describe('chunk', () => {
  it('splits into pieces of at most the given size, in order', () => {
    const items = Array.from({ length: 205 }, (_, i) => i);
    const chunks = chunk(items, 100);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 5]);
    expect(chunks.flat()).toEqual(items);
  });
});
