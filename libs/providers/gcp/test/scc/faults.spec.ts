// Quotas and outages on the publisher's calls: retried with the shared backoff, nothing
// lost and nothing duplicated; a refusal for good on one finding leaves the others written.
import {
  gcpFaults,
  requestNames,
  type GcpFault,
  type GcpFaultPlan,
} from '@drift-detective/testing';
import { isPartialPublishFailure } from '@drift-detective/pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { SccPublishError } from '../../src/scc/index.js';
import { startHarness, type Harness } from './harness.js';
import { FAST_RETRY, idOf, record, resolved, waived } from './records.js';

let h: Harness;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function harness(requestTimeoutMs?: number): Promise<Harness> {
  h = await startHarness(requestTimeoutMs);
  closers.push(() => h.close());
  return h;
}

/**
 * A burst: the first three calls of each listed method get the fault, wherever they come
 * from (with four findings in flight, one finding may meet all three: within the retries).
 */
function burst(methods: string[], fault: () => GcpFault): GcpFaultPlan {
  return (call) => (methods.includes(call.method) && call.index < 3 ? fault() : null);
}

const batch = () => Array.from({ length: 8 }, (_, i) => record({ id: idOf(i + 1) }));

describe('transient failures', () => {
  it('RESOURCE_EXHAUSTED and UNAVAILABLE on every call kind are retried: each finding once, in its state', async () => {
    await harness();
    const retries: string[] = [];
    const publisher = h.publisher({
      retry: { ...FAST_RETRY, onRetry: (info) => retries.push(info.call.split(' ')[1]!) },
    });
    h.standIn.setFaults(
      burst(['ListSources', 'CreateSource', 'UpdateFinding'], () => gcpFaults.resourceExhausted(1)),
    );
    await publisher.publish(batch());
    h.standIn.setFaults((call) =>
      ['UpdateFinding', 'SetFindingState', 'SetMute'].includes(call.method) &&
      call.index >= (call.method === 'UpdateFinding' ? 8 : 0) &&
      call.index < (call.method === 'UpdateFinding' ? 11 : 3)
        ? gcpFaults.unavailable()
        : null,
    );
    await publisher.publish([
      ...batch()
        .slice(0, 4)
        .map((r) => resolved('compliant', { id: r.id })),
      ...batch()
        .slice(4)
        .map((r) => waived({ id: r.id })),
    ]);

    const findings = h.findings();
    expect(findings).toHaveLength(8);
    expect(new Set(findings.map((f) => f['name'])).size).toBe(8);
    const states = Object.fromEntries(
      findings.map((f) => [String(f['name']).split('/').pop(), `${f['state']} ${f['mute']}`]),
    );
    expect(states).toEqual({
      ...Object.fromEntries(
        batch()
          .slice(0, 4)
          .map((r) => [r.id, 'INACTIVE UNDEFINED']),
      ),
      ...Object.fromEntries(
        batch()
          .slice(4)
          .map((r) => [r.id, 'ACTIVE MUTED']),
      ),
    });
    expect(h.standIn.sources()).toHaveLength(1);
    expect(new Set(retries)).toEqual(
      new Set(['ListSources', 'CreateSource', 'UpdateFinding', 'SetFindingState', 'SetMute']),
    );
  });

  it('a write applied but answered too late is sent again: still one finding', async () => {
    await harness(200);
    const publisher = h.publisher();
    await publisher.publish([record()]);
    h.standIn.setFaults((call) =>
      call.method === 'SetFindingState' && call.index === 0 ? gcpFaults.delay(400) : null,
    );
    await publisher.publish([resolved('compliant')]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(h.calls().filter((c) => c.startsWith('SetFindingState'))).toEqual([
      'SetFindingState OK',
      'SetFindingState OK',
    ]);
    expect(h.findings()).toEqual([expect.objectContaining({ state: 'INACTIVE' })]);
  });

  it('failures past the retries: those findings are refused for now (not permanent), the others written', async () => {
    await harness();
    const publisher = h.publisher({ concurrency: 1, retry: { ...FAST_RETRY, maxRetries: 1 } });
    await publisher.source();
    // The second finding's UpdateFinding and its one retry (calls 1 and 2) are unavailable.
    h.standIn.setFaults((call) =>
      call.method === 'UpdateFinding' && (call.index === 1 || call.index === 2)
        ? gcpFaults.unavailable()
        : null,
    );
    const error = await publisher.publish(batch().slice(0, 3)).catch((e: unknown) => e);
    expect(isPartialPublishFailure(error)).toBe(true);
    expect((error as SccPublishError).rejected).toEqual([
      {
        id: idOf(2),
        permanent: false,
        reason: expect.stringMatching(/UpdateFinding\): UNAVAILABLE/),
      },
    ]);
    expect(h.findings().map((f) => String(f['name']).split('/').pop())).toEqual([idOf(1), idOf(3)]);
    // Sent again, it is written; the others are merely updated.
    await publisher.publish(batch().slice(0, 3));
    expect(h.findings()).toHaveLength(3);
  });

  it('stops on the signal: the publish rejects as aborted, not as a refusal', async () => {
    await harness();
    const controller = new AbortController();
    const publisher = h.publisher({ signal: controller.signal });
    await publisher.source();
    h.standIn.setFaults((call) => (call.method === 'UpdateFinding' ? gcpFaults.delay(1000) : null));
    const publishing = publisher.publish([record()]);
    setTimeout(() => controller.abort(), 50);
    const error = await publishing.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(isPartialPublishFailure(error)).toBe(false);
  });
});

describe('a refusal for good', () => {
  it('PERMISSION_DENIED on one finding: that one is reported permanent, the others are written', async () => {
    await harness();
    const logged: Record<string, unknown>[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (fields: Record<string, unknown>) => void logged.push(fields),
      error: (fields: Record<string, unknown>) => void logged.push(fields),
    };
    const publisher = h.publisher({ logger });
    // IAM refuses every call on the third finding, as a deny policy on it would.
    h.standIn.setFaults((call) =>
      requestNames(call.request).some((name) => name.endsWith(`/findings/${idOf(3)}`))
        ? gcpFaults.permissionDenied()
        : null,
    );
    const start = h.standIn.requests().length;
    const error = await publisher.publish(batch()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SccPublishError);
    expect((error as SccPublishError).rejected).toEqual([
      {
        id: idOf(3),
        permanent: true,
        reason: expect.stringMatching(
          /UpdateFinding\): PERMISSION_DENIED: Permission 'securitycenter\.findings\.update' denied/,
        ),
      },
    ]);
    const written = h.findings().map((f) => String(f['name']).split('/').pop());
    expect(written.sort()).toEqual(
      batch()
        .map((r) => r.id)
        .filter((id) => id !== idOf(3)),
    );
    // Refused for good: tried once, not retried; the others written once each.
    const updates = h.calls(start).filter((c) => c.startsWith('UpdateFinding'));
    expect(updates.filter((c) => c === 'UpdateFinding OK')).toHaveLength(7);
    expect(updates.filter((c) => c !== 'UpdateFinding OK')).toEqual([
      'UpdateFinding PERMISSION_DENIED',
    ]);
    // Logged once, with the finding's id.
    expect(logged).toEqual([
      expect.objectContaining({ findingId: idOf(3), permanent: true, operation: 'UpdateFinding' }),
    ]);
  });
});
