import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicyEngine, sha256Hex } from '@drift-detective/policy-engine';
import type { Provider } from '@drift-detective/resource-model';
import { INVENTORIES } from '../src/scan/inventories.js';
import { scan } from '../src/scan/scan.js';
import { ScanWorkspace } from '../src/scan/spill/scan-workspace.js';
import { workspaceRoot, nativeFixture } from './cli-process.js';

const bundleDir = path.join(workspaceRoot, 'dist', 'policies');
const FIXTURE = /^(dd-[a-z]+-\d{3})-(violating|compliant)-([a-z0-9-]+)\.json$/;

async function fixtureNames(provider: Provider): Promise<string[]> {
  const dir = path.dirname(nativeFixture(provider, 'x'));
  return (await readdir(dir)).filter((f) => FIXTURE.test(f)).sort();
}

let engine: PolicyEngine;

/** Scans one fixture; the findings are read out before the scan's workspace goes. */
async function scanFile(provider: Provider, file: string) {
  const workspace = ScanWorkspace.open();
  try {
    const result = await scan({
      inputs: [{ path: nativeFixture(provider, file), label: file }],
      inventories: INVENTORIES,
      engine,
      includeRule: () => true,
      workspace,
    });
    return { findings: [...result.findings], summary: result.summary };
  } finally {
    workspace.close();
  }
}

beforeAll(async () => {
  engine = await PolicyEngine.load(bundleDir);
});

describe('one bundle, three clouds', () => {
  it('serves every cloud from the same policy.wasm bytes', async () => {
    const wasm = await readFile(path.join(bundleDir, 'policy.wasm'));
    expect(engine.bundle.manifest.wasmSha256).toBe(sha256Hex(wasm));
    const rulesByCloud = new Map<Provider, Set<string>>();
    for (const provider of ['aws', 'azure', 'gcp'] as const) {
      for (const file of await fixtureNames(provider)) {
        if (!file.includes('-violating-')) continue;
        const { findings } = await scanFile(provider, file);
        for (const f of findings) {
          expect(f.provider).toBe(provider);
          rulesByCloud.set(provider, (rulesByCloud.get(provider) ?? new Set()).add(f.ruleId));
        }
      }
    }
    // The same rules fire on all three clouds: one catalog, not three.
    for (const ruleId of [
      'DD-STORAGE-001',
      'DD-NET-001',
      'DD-NET-002',
      'DD-IAM-001',
      'DD-DB-001',
    ]) {
      for (const provider of ['aws', 'azure', 'gcp'] as const) {
        expect(rulesByCloud.get(provider)?.has(ruleId), `${ruleId} on ${provider}`).toBe(true);
      }
    }
  });
});

describe.each(['aws', 'azure', 'gcp'] as const)(
  '%s catalog fixtures through the scan',
  (provider) => {
    it('has a violating fixture and a compliant twin for the must-hold rules', async () => {
      const names = await fixtureNames(provider);
      for (const rule of [
        'dd-storage-001',
        'dd-net-001',
        'dd-net-002',
        'dd-iam-001',
        'dd-db-001',
      ]) {
        expect(
          names.some((n) => n.startsWith(`${rule}-violating-`)),
          `${rule} violating`,
        ).toBe(true);
        expect(
          names.some((n) => n.startsWith(`${rule}-compliant-`)),
          `${rule} compliant`,
        ).toBe(true);
      }
    });

    it('finds each violating fixture with its catalog id and spares each compliant twin', async () => {
      for (const file of await fixtureNames(provider)) {
        const [, rule = '', verdict] = FIXTURE.exec(file) ?? [];
        const { findings, summary } = await scanFile(provider, file);
        expect(summary.skipped, file).toEqual([]);
        const fired = findings.map((f) => f.ruleId);
        if (verdict === 'violating') expect(fired, file).toContain(rule.toUpperCase());
        else expect(fired, file).not.toContain(rule.toUpperCase());
      }
    });
  },
);
