/**
 * A set of record numbers, one bit each (a million records take 125 KB):
 * which records of a streamed input the first pass already judged.
 */
export class RecordSet {
  private bits = new Uint8Array(1024);

  add(record: number): void {
    const at = record >>> 3;
    if (at >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, at + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[at] = (this.bits[at] as number) | (1 << (record & 7));
  }

  has(record: number): boolean {
    const at = record >>> 3;
    return at < this.bits.length && ((this.bits[at] as number) & (1 << (record & 7))) !== 0;
  }
}
