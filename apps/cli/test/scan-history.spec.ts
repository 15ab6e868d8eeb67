// A history of many states per resource, scanned with the report spilled to
// disk in tiny runs: the findings are exactly those of each resource's latest
// state (deletions included), in report order, and the summary counts them.
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { INVENTORIES } from '../src/scan/inventories.js';
import { scan } from '../src/scan/scan.js';
import { compareFindings } from '../src/scan/finding.js';
import { ScanWorkspace } from '../src/scan/spill/scan-workspace.js';
import { nativeFixture, workspaceRoot } from './cli-process.js';

type Item = Record<string, unknown>;
type Step = { readonly resource: number; readonly minute: number; readonly kind: Kind };
type Kind = 'open' | 'closed' | 'deleted';

let engine: PolicyEngine;
let open: Item;
let closedConfiguration: unknown;
beforeAll(async () => {
  engine = await PolicyEngine.load(path.join(workspaceRoot, 'dist', 'policies'));
  const read = async (name: string) =>
    JSON.parse(await readFile(nativeFixture('aws', name), 'utf8')) as Item;
  open = await read('dd-net-001-violating-ssh-open.json');
  closedConfiguration = (await read('dd-net-001-compliant-ssh-internal.json'))['configuration'];
});

const arnOf = (resource: number) =>
  `arn:aws:ec2:us-east-1:123456789012:security-group/sg-${String(resource).padStart(4, '0')}`;

/** One configuration item of the history: SSH open to the world, closed, or the group deleted. */
function itemOf(step: Step): Item {
  const time = new Date(Date.UTC(2026, 0, 1, 0, step.minute)).toISOString();
  const id = `sg-${String(step.resource).padStart(4, '0')}`;
  const base = {
    ...open,
    resourceId: id,
    ARN: arnOf(step.resource),
    configurationItemCaptureTime: time,
  };
  if (step.kind === 'deleted') {
    return { ...base, configurationItemStatus: 'ResourceDeleted', configuration: null };
  }
  return step.kind === 'open' ? base : { ...base, configuration: closedConfiguration };
}

/**
 * What the history should leave, worked out on its own: per resource the
 * latest state (the last read of equal times), ended by a deletion strictly
 * after it; a finding where that state is open.
 */
function expectedViolating(steps: readonly Step[]): string[] {
  const latest = new Map<number, { minute: number; kind: Kind }>();
  const deletion = new Map<number, number>();
  for (const step of steps) {
    if (step.kind === 'deleted') {
      deletion.set(step.resource, Math.max(deletion.get(step.resource) ?? -1, step.minute));
      continue;
    }
    const kept = latest.get(step.resource);
    if (kept === undefined || kept.minute <= step.minute) latest.set(step.resource, step);
  }
  const violating: string[] = [];
  for (const [resource, state] of latest) {
    const deletedAt = deletion.get(resource);
    if (deletedAt !== undefined && deletedAt > state.minute) continue;
    if (state.kind === 'open') violating.push(arnOf(resource));
  }
  return violating;
}

async function scanHistory(steps: readonly Step[], runSize: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-history-'));
  const workspace = ScanWorkspace.open();
  try {
    const file = path.join(dir, 'history.ndjson');
    await writeFile(file, steps.map((step) => JSON.stringify(itemOf(step))).join('\n'));
    const result = await scan({
      inputs: [{ path: file, label: 'history.ndjson' }],
      inventories: INVENTORIES,
      engine,
      includeRule: (rule) => rule === 'DD-NET-001',
      workspace,
      runSize,
    });
    return { findings: [...result.findings], summary: result.summary };
  } finally {
    workspace.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scanning a history with the report on disk', () => {
  it('reports the findings of each latest state, once, in report order', async () => {
    const step = fc.record({
      resource: fc.integer({ min: 0, max: 11 }),
      minute: fc.integer({ min: 0, max: 20 }),
      kind: fc.constantFrom<Kind>('open', 'open', 'closed', 'deleted'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, runSize) => {
          const { findings, summary } = await scanHistory(steps, runSize);
          const violating = expectedViolating(steps);
          expect(findings.map((f) => f.resourceId).sort()).toEqual([...violating].sort());
          expect([...findings].sort(compareFindings)).toEqual(findings);
          expect(summary.findings).toBe(violating.length);
          expect(summary.bySeverity).toEqual(
            violating.length === 0 ? {} : { [findings[0]!.severity]: violating.length },
          );
          // Deleted resources are gone from the count, as they are from the report.
          const states = new Set(steps.filter((s) => s.kind !== 'deleted').map((s) => s.resource));
          expect(summary.resources).toBeLessThanOrEqual(states.size);
          // The same scan kept in memory reports the same.
          expect(await scanHistory(steps, 10_000)).toEqual({ findings, summary });
        },
      ),
      { numRuns: 40 },
    );
  });
});
