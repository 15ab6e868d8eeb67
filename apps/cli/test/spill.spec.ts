// The scan's working set on disk: the sorted runs its report is merged from,
// and the SQLite file of resource states, deletions and what it reports.
import { existsSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanWorkspace } from '../src/scan/spill/scan-workspace.js';
import { SortedSpill } from '../src/scan/spill/sorted-spill.js';
import { scratchDirs } from './scratch-dirs.js';

const scratch = scratchDirs('drift-spill-');

interface Item {
  readonly key: string;
  readonly order: number;
  readonly text: string;
}
const byKey = (a: Item, b: Item) => a.key.localeCompare(b.key);

describe('SortedSpill', () => {
  it('gives what a stable in-memory sort gives, whatever the run size', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Few keys: many ties, whose order must be the order they came in.
            key: fc.constantFrom('b', 'A', 'a', 'ä', '_x', '-y', '10', '9', 'Ω', '🎉'),
            text: fc.string({ unit: 'binary', maxLength: 40 }),
          }),
          { maxLength: 300 },
        ),
        fc.integer({ min: 1, max: 64 }),
        (records, runSize) => {
          const items = records.map((r, order) => ({ ...r, order }));
          const spill = new SortedSpill<Item>(scratch(), byKey, runSize);
          for (const item of items) spill.add(item);
          const expected = [...items].sort(byKey);
          expect([...spill.sorted()]).toEqual(expected);
          // Read again: the same again.
          expect([...spill.sorted()]).toEqual(expected);
          expect(spill.size).toBe(items.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a batch in memory until it is full, then writes sorted runs', () => {
    const dir = scratch();
    const spill = new SortedSpill<Item>(dir, byKey, 4);
    for (let i = 0; i < 3; i++) spill.add({ key: `k${3 - i}`, order: i, text: '' });
    expect(spill.spilledRuns).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    for (let i = 3; i < 10; i++) spill.add({ key: `k${i % 4}`, order: i, text: '' });
    expect(spill.spilledRuns).toBe(2);
    expect([...spill.sorted()].map((item) => item.order)).toEqual([
      // k0, k1, k2, k3 each in the order they were added
      4, 8, 2, 5, 9, 1, 6, 0, 3, 7,
    ]);
  });

  it('reads back lines longer than its read buffer, cut anywhere in a multi-byte character', () => {
    // 70,000 characters of 3 and 4 bytes: a line spans two 64 KiB reads, cut mid-character.
    const long = (seed: string) => `${seed}${'€😀'.repeat(23_333)}`;
    const items = ['c', 'a', 'b', 'd'].map((key, order) => ({ key, order, text: long(key) }));
    const spill = new SortedSpill<Item>(scratch(), byKey, 1);
    for (const item of items) spill.add(item);
    expect(spill.spilledRuns).toBe(4);
    expect([...spill.sorted()]).toEqual([...items].sort(byKey));
  });

  it('stops reading its runs when the reader stops early, and each spill keeps to its own files', () => {
    const dir = scratch();
    const first = new SortedSpill<Item>(dir, byKey, 2);
    const second = new SortedSpill<Item>(dir, byKey, 2);
    for (let i = 0; i < 6; i++) {
      first.add({ key: `a${i}`, order: i, text: '' });
      second.add({ key: `b${i}`, order: i, text: '' });
    }
    const reading = first.sorted();
    expect(reading.next().value?.key).toBe('a0');
    reading.return(undefined);
    expect([...first.sorted()].map((item) => item.key)).toEqual([
      'a0',
      'a1',
      'a2',
      'a3',
      'a4',
      'a5',
    ]);
    expect([...second.sorted()].map((item) => item.key)).toEqual([
      'b0',
      'b1',
      'b2',
      'b3',
      'b4',
      'b5',
    ]);
    expect(readdirSync(dir)).toHaveLength(2);
  });
});

describe('ScanWorkspace', () => {
  const workspaces: ScanWorkspace[] = [];
  const open = () => {
    const workspace = ScanWorkspace.open();
    workspaces.push(workspace);
    return workspace;
  };
  afterEach(() => {
    for (const workspace of workspaces.splice(0)) workspace.close();
  });
  const state = (id: string, observedAt: string) => ({
    id,
    provider: 'aws',
    account: '111122223333',
    observedAt,
  });

  it('keeps the latest state of each resource; of two with one time, the one read last', () => {
    const workspace = open();
    const first = workspace.observe(state('r1', '2026-01-02T00:00:00Z'), ['HIGH']);
    expect(first).toEqual({ seq: 0 });
    // Older: not kept.
    expect(workspace.observe(state('r1', '2026-01-01T00:00:00Z'), ['LOW'])).toBeUndefined();
    // As new: kept, replacing the first, whose severities are handed back.
    expect(workspace.observe(state('r1', '2026-01-02T00:00:00Z'), [])).toEqual({
      seq: 1,
      replaced: { seq: 0, severities: ['HIGH'] },
    });
    expect(workspace.observe(state('r2', '2026-01-01T00:00:00Z'), ['LOW', 'HIGH'])).toEqual({
      seq: 2,
    });
    expect(workspace.resources).toBe(2);
    expect(workspace.anyReplaced).toBe(true);
    expect(workspace.isCurrent('r1', 0)).toBe(false);
    expect(workspace.isCurrent('r1', 1)).toBe(true);
    expect(workspace.isObserved('r3')).toBe(false);
    expect([...workspace.observedBatches(1)]).toEqual([
      [{ ...state('r1', '2026-01-02T00:00:00Z'), seq: 1 }],
      [{ ...state('r2', '2026-01-01T00:00:00Z'), seq: 2 }],
    ]);
  });

  it('ends a resource by a deletion after its latest state, or never seen; not by an older one', () => {
    const workspace = open();
    workspace.observe(state('kept', '2026-01-05T00:00:00Z'), ['HIGH']);
    workspace.observe(state('gone', '2026-01-01T00:00:00Z'), ['LOW', 'LOW']);
    workspace.observe(state('untimed', '2026-01-01T00:00:00Z'), []);
    workspace.recordDeletion({
      provider: 'aws',
      resourceId: 'kept',
      deletedAt: '2026-01-04T00:00:00Z',
    });
    // The later of two notices decides.
    workspace.recordDeletion({
      provider: 'aws',
      resourceId: 'gone',
      deletedAt: '2026-01-02T00:00:00Z',
    });
    workspace.recordDeletion({
      provider: 'aws',
      resourceId: 'gone',
      deletedAt: '2025-12-01T00:00:00Z',
    });
    workspace.recordDeletion({ provider: 'aws', resourceId: 'untimed' });
    workspace.recordDeletion({ provider: 'aws', resourceId: 'never-seen' });
    const ended: unknown[] = [];
    workspace.applyDeletions((replaced) => ended.push(replaced));
    expect(ended).toEqual([{ seq: 1, severities: ['LOW', 'LOW'] }]);
    expect([...workspace.deletedBatches(10)]).toEqual([
      [
        { provider: 'aws', resourceId: 'gone' },
        { provider: 'aws', resourceId: 'never-seen' },
      ],
    ]);
    expect(workspace.resources).toBe(2);
    expect(workspace.isObserved('gone')).toBe(false);
    expect(workspace.isObserved('kept')).toBe(true);
    expect(workspace.isObserved('untimed')).toBe(true);
  });

  it('keeps findings by evaluation and reported records by id, the last one kept winning', () => {
    const workspace = open();
    workspace.saveFindings(7, [{ ruleId: 'DD-1' }]);
    expect(workspace.findingsOf(7)).toEqual([{ ruleId: 'DD-1' }]);
    expect(workspace.findingsOf(8)).toEqual([]);
    workspace.keepReported('f1', { v: 1 });
    workspace.keepReported('f2', { v: 2 });
    workspace.keepReported('f1', { v: 3 });
    workspace.markClaimedElsewhere('f2');
    expect(workspace.hasReported('f1')).toBe(true);
    expect(workspace.hasReported('f3')).toBe(false);
    expect([...workspace.reportedBatches(10)]).toEqual([
      [
        { record: { v: 3 }, claimedElsewhere: false },
        { record: { v: 2 }, claimedElsewhere: true },
      ],
    ]);
  });

  it('holds many states across its transactions, and close() removes its directory', () => {
    const workspace = ScanWorkspace.open();
    for (let i = 0; i < 25_000; i++) workspace.observe(state(`r${i}`, '2026-01-01T00:00:00Z'), []);
    expect(workspace.resources).toBe(25_000);
    expect([...workspace.observedBatches(10_000)].map((batch) => batch.length)).toEqual([
      10_000, 10_000, 5_000,
    ]);
    expect(existsSync(workspace.directory)).toBe(true);
    workspace.close();
    expect(existsSync(workspace.directory)).toBe(false);
  });
});
