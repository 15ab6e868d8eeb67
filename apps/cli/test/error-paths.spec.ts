// Keeps the CLI's error paths held: for any mix of inputs (good, bad, garbage,
// unreadable) and any state (none, fresh, read-only, held by another writer),
// `scan` exits 0, 1 or 2 as documented, never with a stack trace, and every
// record it read is either evaluated or listed as skipped.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { SqliteStateStore } from '@drift-detective/findings';
import { describe, expect, it } from 'vitest';
import { cli, nativeFixture } from './cli-process.js';

const good = JSON.stringify(
  JSON.parse(await readFile(nativeFixture('aws', 'dd-net-001-violating-ssh-open.json'), 'utf8')),
);

/** NDJSON lines of each kind; every one is one record the scan must account for. */
const LINES = {
  good,
  other: good.replaceAll('sg-0a11aa11aa11aa11a', 'sg-0b22bb22bb22bb22b'),
  badJson: '{"configurationItems": [',
  garbage: '\u001b[2J\u0000\u00ff binary',
  unknownCloud: '{"hello": "world"}',
  emptyObject: '{}',
  array: '[1, 2, 3]',
} as const;
type LineKind = keyof typeof LINES;

const STATES = ['none', 'fresh', 'read-only', 'held'] as const;
type StateKind = (typeof STATES)[number];

interface Case {
  readonly files: { readonly lines: LineKind[]; readonly unreadable: boolean }[];
  readonly state: StateKind;
  readonly failOn: boolean;
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  files: fc.array(
    fc.record({
      lines: fc.array(fc.constantFrom(...(Object.keys(LINES) as LineKind[])), {
        minLength: 1,
        maxLength: 5,
      }),
      // The scan runs bound by file permissions (as root: without the capabilities that bypass them).
      unreadable: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  state: fc.constantFrom(...STATES),
  failOn: fc.boolean(),
});

async function prepare(
  c: Case,
): Promise<{ args: string[]; records: number; release: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-paths-'));
  await chmod(dir, 0o777);
  const input = path.join(dir, 'input');
  await mkdir(input, { mode: 0o755 });
  let records = 0;
  for (const [i, file] of c.files.entries()) {
    // Named .ndjson: line by line whatever the first line. (A .json file whose first
    // line opens a document is read as one document, and a bad one is exit 2.)
    const name = path.join(input, `f${i}.ndjson`);
    await writeFile(name, `${file.lines.map((kind) => LINES[kind]).join('\n')}\n`);
    await chmod(name, file.unreadable ? 0o000 : 0o644);
    records += file.lines.length;
  }
  let holder: SqliteStateStore | undefined;
  const args = ['scan', '--format', 'json', '--input', input];
  if (c.failOn) args.push('--fail-on', 'HIGH');
  if (c.state !== 'none') {
    const state = path.join(dir, 'state.db');
    args.push('--state', state);
    if (c.state === 'read-only') {
      await writeFile(state, '');
      await chmod(state, 0o444);
    }
    if (c.state === 'held') {
      // A live writer: this test process, as another scan or an adapter would hold it.
      holder = new SqliteStateStore(state, { command: 'drift-detective aws worker' });
      // Writable by the scan's user, so what refuses it is the lock, not the file mode.
      await chmod(state, 0o666);
    }
  }
  return {
    args,
    records,
    release: async () => {
      await holder?.close();
    },
  };
}

describe('scan error paths, for any mix of inputs and states', () => {
  it('exits 0, 1 or 2 as documented, with no stack trace and no record unaccounted for', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const { args, records, release } = await prepare(c);
        const run = await cli(args, {
          unprivileged: true,
          env: { DRIFT_STATE_WAIT_SECONDS: '0' },
        }).finally(release);
        expect([0, 1, 2]).toContain(run.code);
        expect(run.stderr).not.toMatch(/^\s+at /m);
        expect(run.stderr).not.toContain('\u001b');
        const unreadable = c.files.some((f) => f.unreadable);
        const refusedState = c.state === 'read-only' || c.state === 'held';
        if (unreadable || refusedState) {
          expect(run.code).toBe(2);
          // One line saying what is wrong: a file, not a question of usage.
          expect(run.stderr.trim().split('\n')).toEqual([
            expect.stringMatching(/^drift-detective: /),
          ]);
          return;
        }
        expect(run.code).not.toBe(2);
        const { summary } = JSON.parse(run.stdout) as {
          summary: { evaluated: number; skipped: unknown[]; findings: number };
        };
        expect(summary.evaluated + summary.skipped.length).toBe(records);
        const violating = c.files.some((f) => f.lines.some((l) => l === 'good' || l === 'other'));
        expect(run.code).toBe(c.failOn && violating ? 1 : 0);
      }),
      { numRuns: 30 },
    );
  }, 240_000);
});
