/**
 * The ids most recently added, at most `capacity`, oldest dropped first. The
 * push source remembers acked events here, so a redelivery of one (a sender
 * that timed out, or retried a whole batch for a batch-mate's sake) is
 * answered at once instead of being judged again.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`capacity must be an integer of 0 or more, got ${capacity}`);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.capacity === 0) return;
    // Re-adding moves the id to the newest end (a Set iterates in insertion order).
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}
