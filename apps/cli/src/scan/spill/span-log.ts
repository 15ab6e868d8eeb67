import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { ByteSpan } from '../record-scanner.js';

/** Spans held in memory at a time, on the way to the file or back. */
const BLOCK_SPANS = 8_192;
const BYTES_PER_SPAN = 2 * Float64Array.BYTES_PER_ELEMENT;

/**
 * Where each record of a streamed input is, written by the first pass and
 * read back in order by the second, which then takes each record's bytes
 * without scanning the document again. A file of (start, end) pairs as
 * float64 (exact up to 2^53 bytes): memory holds one block whatever the
 * number of records.
 */
export class SpanLog {
  private readonly fd: number;
  private block = new Float64Array(BLOCK_SPANS * 2);
  private inBlock = 0;
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  /** Spans added so far. */
  get count(): number {
    return this.written + this.inBlock;
  }

  add(span: ByteSpan): void {
    this.block[this.inBlock * 2] = span.start;
    this.block[this.inBlock * 2 + 1] = span.end;
    if (++this.inBlock === BLOCK_SPANS) this.flush();
  }

  /** The spans in the order they were added, a block at a time: (start, end) pairs. */
  *blocks(): Generator<Float64Array> {
    this.flush();
    const block = new Float64Array(BLOCK_SPANS * 2);
    const bytes = new Uint8Array(block.buffer);
    for (let at = 0; at < this.written; at += BLOCK_SPANS) {
      const spans = Math.min(BLOCK_SPANS, this.written - at);
      const length = spans * BYTES_PER_SPAN;
      let read = 0;
      while (read < length) {
        const got = readSync(this.fd, bytes, read, length - read, at * BYTES_PER_SPAN + read);
        if (got === 0) throw new Error(`${this.path} ends before its ${this.written} spans`);
        read += got;
      }
      yield block.subarray(0, spans * 2);
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.inBlock === 0) return;
    const length = this.inBlock * BYTES_PER_SPAN;
    const bytes = new Uint8Array(this.block.buffer, 0, length);
    let done = 0;
    while (done < length) {
      done += writeSync(this.fd, bytes, done, length - done, this.written * BYTES_PER_SPAN + done);
    }
    this.written += this.inBlock;
    this.inBlock = 0;
  }
}
