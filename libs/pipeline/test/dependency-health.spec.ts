import type { FindingRecord } from '@drift-detective/findings';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_UNREADY_AFTER_MS,
  DependencyHealth,
  reasonOf,
  trackedPublisher,
  type PartialPublishFailure,
} from '../src/index.js';

/** A tracker on a clock the test moves. */
function tracker(unreadyAfterMs = 10_000) {
  let now = 1_000_000;
  const health = new DependencyHealth({ unreadyAfterMs, clock: () => now });
  return { health, advance: (ms: number) => (now += ms) };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
  code: 'ECONNREFUSED',
});

describe('DependencyHealth', () => {
  it('is ready with nothing recorded, and defaults to a minute', () => {
    const health = new DependencyHealth();
    expect(health.readiness()).toEqual({ ready: true });
    expect(health.unreadyAfterMs).toBe(DEFAULT_UNREADY_AFTER_MS);
    expect(DEFAULT_UNREADY_AFTER_MS).toBe(60_000);
  });

  it('turns unready once a dependency has failed continuously for the threshold, naming it and its latest error', () => {
    const { health, advance } = tracker();
    const source = health.dependency('source');
    source.failed(new Error('first'));
    advance(9_999);
    source.failed(refused);
    expect(health.ready()).toBe(true);
    advance(1);
    expect(health.readiness()).toEqual({
      ready: false,
      reason: 'source failing for 10 s (Error: connect ECONNREFUSED 127.0.0.1:4566)',
    });
    advance(35_500);
    expect(health.readiness()).toMatchObject({ reason: expect.stringMatching(/for 45 s/) });
  });

  it('is ready again at the next success, and a success in between restarts the count', () => {
    const { health, advance } = tracker();
    const hub = health.dependency('hub');
    hub.failed(refused);
    advance(20_000);
    expect(health.ready()).toBe(false);
    hub.succeeded();
    expect(health.ready()).toBe(true);
    // Failures broken by a success are not continuous.
    hub.failed(refused);
    advance(6_000);
    hub.succeeded();
    hub.failed(refused);
    advance(6_000);
    expect(health.ready()).toBe(true);
  });

  it('keeps dependencies apart and names every one failing too long', () => {
    const { health, advance } = tracker();
    health.failed('source', refused);
    health.failed('hub', new Error('503'));
    advance(10_000);
    health.succeeded('source');
    expect(health.readiness()).toEqual({
      ready: false,
      reason: 'hub failing for 10 s (Error: 503)',
    });
    health.failed('source', refused);
    advance(10_000);
    expect(health.readiness()).toMatchObject({
      reason: expect.stringMatching(/^hub failing for 20 s .*; source failing for 10 s /),
    });
  });

  it('tracks a promise: records its end and passes its result or error on', async () => {
    const { health, advance } = tracker(0);
    const source = health.dependency('source');
    await expect(source.track(Promise.reject(refused))).rejects.toBe(refused);
    advance(1);
    expect(health.ready()).toBe(false);
    await expect(source.track(Promise.resolve(7))).resolves.toBe(7);
    expect(health.ready()).toBe(true);
  });

  it('refuses a negative threshold', () => {
    expect(() => new DependencyHealth({ unreadyAfterMs: -1 })).toThrow(RangeError);
  });
});

describe('reasonOf', () => {
  it('says an error in one short line, its code when the message is empty', () => {
    expect(reasonOf(refused)).toBe('Error: connect ECONNREFUSED 127.0.0.1:4566');
    const dualStack = Object.assign(new AggregateError([refused], ''), { code: 'ECONNREFUSED' });
    expect(reasonOf(dualStack)).toBe('AggregateError: ECONNREFUSED');
    expect(reasonOf(new AggregateError([refused], ''))).toBe(
      'AggregateError: Error: connect ECONNREFUSED 127.0.0.1:4566',
    );
    expect(reasonOf(new Error('two\nlines'))).toBe('Error: two lines');
    expect(reasonOf('plain')).toBe('plain');
    expect(reasonOf(new Error('x'.repeat(500))).length).toBe(200);
  });
});

describe('trackedPublisher', () => {
  const f1 = { id: 'f1' } as FindingRecord;
  const f2 = { id: 'f2' } as FindingRecord;
  const refusal = (permanent: boolean): PartialPublishFailure => ({
    rejected: [{ id: 'f1', permanent, reason: permanent ? 'InvalidInput' : 'ServiceUnavailable' }],
  });

  /** A publisher that throws `next` (when set), tracked into a fresh record. */
  function tracked() {
    const { health, advance } = tracker(0);
    const state: { next: unknown } = { next: undefined };
    const publisher = trackedPublisher(
      {
        publish: () => (state.next === undefined ? Promise.resolve() : Promise.reject(state.next)),
      },
      health.dependency('hub'),
    );
    return { health, advance, state, publisher };
  }

  it('reports a failed call and the next success', async () => {
    const { health, advance, state, publisher } = tracked();
    state.next = new Error('connect ECONNREFUSED');
    await expect(publisher.publish([f1])).rejects.toBe(state.next);
    advance(1);
    expect(health.readiness()).toMatchObject({ ready: false, reason: /^hub failing/ });
    state.next = undefined;
    await publisher.publish([f1]);
    expect(health.ready()).toBe(true);
  });

  it('takes a whole batch refused for a passing reason as a failure, as Security Hub reports a 503', async () => {
    const { health, advance, state, publisher } = tracked();
    state.next = refusal(false);
    await expect(publisher.publish([f1])).rejects.toBe(state.next);
    advance(1);
    expect(health.ready()).toBe(false);
  });

  it('takes a partial refusal, or a refusal for good, as the hub answering', async () => {
    for (const [batch, failure] of [
      [[f1, f2], refusal(false)],
      [[f1], refusal(true)],
    ] as const) {
      const { health, advance, state, publisher } = tracked();
      health.failed('hub', new Error('down before'));
      state.next = failure;
      await expect(publisher.publish(batch)).rejects.toBe(failure);
      advance(1);
      expect(health.ready()).toBe(true);
    }
  });

  it('records nothing for an empty batch', async () => {
    const { health, advance, publisher } = tracked();
    health.failed('hub', new Error('down'));
    advance(1);
    await publisher.publish([]);
    expect(health.ready()).toBe(false);
  });
});
