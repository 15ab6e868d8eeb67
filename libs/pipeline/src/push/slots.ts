/** How a wait for a slot ended. */
export type SlotResult = 'acquired' | 'busy' | 'aborted' | 'closed';

interface Waiter {
  readonly settle: (result: SlotResult) => void;
}

/**
 * A counting semaphore with a bounded, first-come first-served queue of
 * waiters. A caller past the queue's bound is told `busy` at once; a waiter
 * whose signal aborts leaves the queue; close() sends every waiter away.
 */
export class Slots {
  private used = 0;
  private closed = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly capacity: number,
    private readonly maxWaiting: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be an integer of 1 or more, got ${capacity}`);
    }
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) {
      throw new RangeError(`maxWaiting must be an integer of 0 or more, got ${maxWaiting}`);
    }
  }

  acquire(signal?: AbortSignal): Promise<SlotResult> {
    if (this.closed) return Promise.resolve('closed');
    if (signal?.aborted) return Promise.resolve('aborted');
    // Never overtake a waiter: the queue is fair.
    if (this.used < this.capacity && this.waiters.length === 0) {
      this.used += 1;
      return Promise.resolve('acquired');
    }
    if (this.waiters.length >= this.maxWaiting) return Promise.resolve('busy');
    return new Promise<SlotResult>((resolve) => {
      const waiter: Waiter = {
        settle: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        waiter.settle('aborted');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter: `used` stays the same.
    if (next) next.settle('acquired');
    else this.used = Math.max(0, this.used - 1);
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.settle('closed');
  }

  /** Slots held now. */
  get inUse(): number {
    return this.used;
  }

  /** Callers waiting now. */
  get waiting(): number {
    return this.waiters.length;
  }
}
