/**
 * A set of record numbers, one bit each (a million records take 125 KB):
 * which records of a streamed input the first pass already judged.
 */
export class RecordSet {
  private bits = new Uint8Array(1024);
  private count = 0;

  add(record: number): void {
    const at = record >>> 3;
    if (at >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, at + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (record & 7);
    if (((this.bits[at] as number) & mask) === 0) this.count++;
    this.bits[at] = (this.bits[at] as number) | mask;
  }

  has(record: number): boolean {
    const at = record >>> 3;
    return at < this.bits.length && ((this.bits[at] as number) & (1 << (record & 7))) !== 0;
  }

  get size(): number {
    return this.count;
  }
}
