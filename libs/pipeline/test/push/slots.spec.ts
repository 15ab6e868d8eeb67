import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../src/push/recent-ids.js';
import { Slots } from '../../src/push/slots.js';

describe('Slots', () => {
  it('hands slots out first come, first served, and bounds the waiters', async () => {
    const slots = new Slots(1, 2);
    expect(await slots.acquire()).toBe('acquired');
    const order: string[] = [];
    const b = slots.acquire().then((r) => order.push(`b ${r}`));
    const c = slots.acquire().then((r) => order.push(`c ${r}`));
    expect(await slots.acquire()).toBe('busy');
    slots.release();
    await b;
    slots.release();
    await c;
    expect(order).toEqual(['b acquired', 'c acquired']);
    expect(slots.inUse).toBe(1);
  });

  it('lets an aborted waiter leave and sends the rest away on close', async () => {
    const slots = new Slots(1, 5);
    await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const closed = slots.acquire();
    controller.abort();
    expect(await aborted).toBe('aborted');
    expect(slots.waiting).toBe(1);
    slots.close();
    expect(await closed).toBe('closed');
    expect(await slots.acquire()).toBe('closed');
  });
});

describe('RecentIds', () => {
  it('keeps the newest ids only', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    ids.add('a');
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c'), ids.size]).toEqual([true, false, true, 2]);
  });
});
