/**
 * Runs functions one at a time per key, in the order they asked, while
 * different keys run freely: two events of one resource never reconcile and
 * publish at once (the later one would read state the earlier is changing).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // The last holder removes the key, so the map holds only keys in use.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys held or waited for: empty once everything finished. */
  get size(): number {
    return this.tails.size;
  }
}
