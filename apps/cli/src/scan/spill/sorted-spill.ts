import { closeSync, mkdtempSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Items sorted in memory before a run of them is written to disk. */
export const DEFAULT_RUN_SIZE = 8_192;

/** Bytes read from a run at a time while merging. */
const READ_CHUNK = 64 * 1024;

/**
 * Items sorted by `compare` whatever their number: up to `runSize` are kept
 * and sorted in memory; beyond that each full batch is sorted and written to
 * a file of its own (a run, one JSON line per item), and reading merges the
 * runs. Memory is one batch plus a read buffer per run, never the whole set.
 * The order is stable: items that compare equal come out in the order they
 * were added. Items must survive a JSON round trip.
 */
export class SortedSpill<T> {
  private batch: T[] = [];
  private readonly runs: string[] = [];
  private count = 0;
  /** Made at the first spill, so spills sharing a parent directory never share a file. */
  private runDirectory: string | undefined;

  /** Runs go to a new directory in `directory`, which the caller removes. */
  constructor(
    private readonly directory: string,
    private readonly compare: (a: T, b: T) => number,
    private readonly runSize = DEFAULT_RUN_SIZE,
  ) {}

  /** How many items were added. */
  get size(): number {
    return this.count;
  }

  /** How many runs went to disk (0: everything stayed in memory). */
  get spilledRuns(): number {
    return this.runs.length;
  }

  add(item: T): void {
    this.batch.push(item);
    this.count++;
    if (this.batch.length >= this.runSize) this.spill();
  }

  /**
   * Every item, in order. Reading again reads again; items added after a
   * reading started are not part of it.
   */
  *sorted(): Generator<T> {
    if (this.runs.length === 0) {
      yield* [...this.batch].sort(this.compare);
      return;
    }
    if (this.batch.length > 0) this.spill();
    yield* mergeRuns(this.runs, this.compare);
  }

  private spill(): void {
    this.runDirectory ??= mkdtempSync(path.join(this.directory, 'runs-'));
    const file = path.join(this.runDirectory, `${this.runs.length}.ndjson`);
    const sorted = this.batch.sort(this.compare);
    this.batch = [];
    const fd = openSync(file, 'wx', 0o600);
    try {
      for (let start = 0; start < sorted.length; start += 256) {
        const lines = sorted.slice(start, start + 256).map((item) => `${JSON.stringify(item)}\n`);
        writeSync(fd, lines.join(''));
      }
    } finally {
      closeSync(fd);
    }
    this.runs.push(file);
  }
}

/** One run being read: its next item, and the lines buffered after it. */
class RunReader<T> {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(READ_CHUNK);
  private pending: Buffer[] = [];
  private lines: string[] = [];
  private next = 0;
  private ended = false;
  head: T | undefined;

  constructor(
    file: string,
    readonly order: number,
  ) {
    this.fd = openSync(file, 'r');
    this.advance();
  }

  /** Moves `head` to the run's next item, or to undefined at its end (closing the file). */
  advance(): void {
    while (this.next >= this.lines.length) {
      if (this.ended) {
        this.head = undefined;
        return;
      }
      this.fill();
    }
    const line = this.lines[this.next++] as string;
    this.head = JSON.parse(line) as T;
  }

  private fill(): void {
    const read = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
    this.next = 0;
    if (read === 0) {
      this.ended = true;
      closeSync(this.fd);
      const rest = Buffer.concat(this.pending).toString('utf8');
      this.lines = rest === '' ? [] : [rest];
      this.pending = [];
      return;
    }
    // Only whole lines are decoded: the bytes after the chunk's last newline (a line,
    // or a UTF-8 character, cut by the chunk's end) wait for the next chunk.
    const chunk = this.buffer.subarray(0, read);
    const cut = chunk.lastIndexOf(0x0a) + 1;
    if (cut === 0) {
      this.pending.push(Buffer.from(chunk));
      this.lines = [];
      return;
    }
    const text = Buffer.concat([...this.pending, chunk.subarray(0, cut - 1)]).toString('utf8');
    this.pending = [Buffer.from(chunk.subarray(cut))];
    this.lines = text === '' ? [] : text.split('\n');
  }

  close(): void {
    if (!this.ended) closeSync(this.fd);
    this.ended = true;
  }
}

/** A k-way merge of sorted runs with a binary heap of their heads; ties go to the earlier run. */
function* mergeRuns<T>(files: readonly string[], compare: (a: T, b: T) => number): Generator<T> {
  const readers = files.map((file, order) => new RunReader<T>(file, order));
  const heap = new ReaderHeap<T>(
    readers.filter((r) => r.head !== undefined),
    (a, b) => compare(a.head as T, b.head as T) || a.order - b.order,
  );
  try {
    for (let top = heap.top(); top !== undefined; top = heap.top()) {
      yield top.head as T;
      top.advance();
      if (top.head === undefined) heap.popTop();
      else heap.settleTop();
    }
  } finally {
    for (const reader of readers) reader.close();
  }
}

/** A binary min-heap of run readers, ordered by their heads. */
class ReaderHeap<T> {
  constructor(
    private readonly items: RunReader<T>[],
    private readonly compare: (a: RunReader<T>, b: RunReader<T>) => number,
  ) {
    for (let i = Math.floor(items.length / 2) - 1; i >= 0; i--) this.siftDown(i);
  }

  top(): RunReader<T> | undefined {
    return this.items[0];
  }

  /** Removes the top (its run ended). */
  popTop(): void {
    const last = this.items.pop();
    if (last === undefined || this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  /** Puts the top back in its place after its head moved on. */
  settleTop(): void {
    this.siftDown(0);
  }

  private siftDown(from: number): void {
    const { items } = this;
    let at = from;
    for (;;) {
      let least = at;
      for (const child of [2 * at + 1, 2 * at + 2]) {
        const candidate = items[child];
        const current = items[least];
        if (candidate && current && this.compare(candidate, current) < 0) least = child;
      }
      if (least === at) return;
      const moved = items[least];
      const here = items[at];
      if (!moved || !here) return;
      items[at] = moved;
      items[least] = here;
      at = least;
    }
  }
}
