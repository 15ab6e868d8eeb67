import type { FindingRecord } from '@drift-detective/findings';
import { describe, expect, it } from 'vitest';
import { CoalescingPublisher, isPartialPublishFailure, type Publisher } from '../src/index.js';

const finding = (id: string) => ({ id }) as FindingRecord;

class Hub implements Publisher {
  readonly calls: string[][] = [];
  refuse = new Map<string, boolean>();
  down = false;
  async publish(batch: readonly FindingRecord[]): Promise<void> {
    this.calls.push(batch.map((f) => f.id));
    if (this.down) throw new Error('hub unavailable');
    const refused = batch.filter((f) => this.refuse.has(f.id));
    if (refused.length > 0) {
      throw Object.assign(new Error('refused'), {
        rejected: refused.map((f) => ({
          id: f.id,
          permanent: this.refuse.get(f.id) ?? false,
          reason: `InvalidInput ${f.id}`,
        })),
      });
    }
  }
}

describe('CoalescingPublisher', () => {
  it('sends publishes made at the same time as one call', async () => {
    const hub = new Hub();
    const publisher = new CoalescingPublisher(hub, { windowMs: 20 });
    await Promise.all([
      publisher.publish([finding('a')]),
      publisher.publish([finding('b'), finding('c')]),
      publisher.publish([]),
    ]);
    expect(hub.calls).toEqual([['a', 'b', 'c']]);
    await publisher.publish([finding('d')]);
    expect(hub.calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('sends at once when a batch is full, without waiting for the window', async () => {
    const hub = new Hub();
    const publisher = new CoalescingPublisher(hub, { windowMs: 60_000, maxFindings: 3 });
    await Promise.all([
      publisher.publish([finding('a'), finding('b')]),
      publisher.publish([finding('c')]),
    ]);
    expect(hub.calls).toEqual([['a', 'b', 'c']]);
  });

  it('fails only the callers whose findings were refused, with their own refusals', async () => {
    const hub = new Hub();
    hub.refuse.set('b', true);
    const publisher = new CoalescingPublisher(hub, { windowMs: 20 });
    const outcomes = await Promise.allSettled([
      publisher.publish([finding('a')]),
      publisher.publish([finding('b'), finding('c')]),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: undefined });
    const failed = outcomes[1] as PromiseRejectedResult;
    expect(isPartialPublishFailure(failed.reason)).toBe(true);
    expect((failed.reason as { rejected: unknown }).rejected).toEqual([
      { id: 'b', permanent: true, reason: 'InvalidInput b' },
    ]);
  });

  it('fails every caller when the hub is down', async () => {
    const hub = new Hub();
    hub.down = true;
    const publisher = new CoalescingPublisher(hub, { windowMs: 20 });
    const outcomes = await Promise.allSettled([
      publisher.publish([finding('a')]),
      publisher.publish([finding('b')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
