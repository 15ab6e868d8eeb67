import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleBundle,
  EntrypointMissingError,
  EvaluationError,
  PolicyEngine,
  readTarGz,
  sha256Hex,
} from '@drift-detective/policy-engine';
import { buildPolicies } from '../src/policy-build/build.js';
import { ToolError, run } from '../src/process.js';
import { ensureTool } from '../src/toolchain/ensure.js';
import { OPA } from '../src/toolchain/go-tools.js';
import { metadata, policyTreeWith, quiet } from './policy-tree.js';

async function buildError(tree: string): Promise<ToolError> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'drift-out-'));
  try {
    await buildPolicies({ sourceDir: tree, outDir, log: quiet });
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    return error as ToolError;
  }
  throw new Error('expected the build to fail');
}

describe('policies build', () => {
  it('writes a wasm module, a manifest that matches it, the bundle and the capabilities', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'drift-out-'));
    const { manifest } = await buildPolicies({
      sourceDir: await policyTreeWith(),
      outDir,
      log: quiet,
    });
    const wasm = await readFile(path.join(outDir, 'policy.wasm'));
    expect(manifest.wasmSha256).toBe(sha256Hex(wasm));
    const ids = manifest.rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('DD-STORAGE-001');
    expect(manifest.rules.find((r) => r.id === 'DD-NET-001')).toMatchObject({
      package: 'drift.rules.network.admin_ports',
      severity: 'HIGH',
      kinds: ['network.firewall'],
    });
    expect(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8'))).toEqual(
      manifest,
    );
    const bundle = readTarGz(await readFile(path.join(outDir, 'bundle.tar.gz')));
    expect(bundle.get('policy.wasm')).toEqual(wasm);
    // Tests stay out of the bundle.
    expect([...bundle.keys()].filter((f) => f.endsWith('_test.rego'))).toEqual([]);
    const capabilities = JSON.parse(await readFile(path.join(outDir, 'capabilities.json'), 'utf8'));
    const names = new Set(capabilities.builtins.map((b: { name: string }) => b.name));
    expect(names.has('sprintf')).toBe(true);
    expect(names.has('time.now_ns')).toBe(false);
  });

  it('fails on a builtin the JS wasm SDK does not implement, naming it', async () => {
    const tree = await policyTreeWith({
      'common/clock/now.rego': `${metadata('DD-TEST-001')}package drift.rules.clock.now

rule_id := rego.metadata.chain()[1].annotations.custom.id

deny contains {"message": "late", "details": {}} if time.now_ns() > input.resource.properties.deadline
`,
    });
    const error = await buildError(tree);
    expect(error.message).toContain("builtin 'time.now_ns'");
    expect(error.message).toContain('@open-policy-agent/opa-wasm');
    expect(error.message).toContain('now.rego:13');
  });

  it('fails when a rule package has no METADATA, naming the package', async () => {
    const tree = await policyTreeWith({
      'common/storage/nameless.rego': `package drift.rules.storage.nameless

rule_id := "DD-STORAGE-999"

deny contains {"message": "x", "details": {}} if input.resource.kind == "storage.bucket"
`,
    });
    const error = await buildError(tree);
    expect(error.message).toContain(
      'data.drift.rules.storage.nameless: rule package has no package-scope METADATA',
    );
  });

  it('fails when two rule packages claim the same id', async () => {
    const tree = await policyTreeWith({
      'common/storage/twin.rego': `${metadata('DD-STORAGE-001')}package drift.rules.storage.twin

rule_id := rego.metadata.chain()[1].annotations.custom.id

deny contains {"message": "x", "details": {}} if input.resource.kind == "nothing"
`,
    });
    const error = await buildError(tree);
    expect(error.message).toMatch(/rule id DD-STORAGE-001 is used by both/);
  });

  it('surfaces a policy that fails at run time as EvaluationError, not as no violation', async () => {
    // Two definitions of a complete rule that disagree: OPA aborts the evaluation.
    const tree = await policyTreeWith({
      'common/storage/conflict.rego': `${metadata('DD-TEST-002')}package drift.rules.storage.conflict

rule_id := rego.metadata.chain()[1].annotations.custom.id

level := 1 if input.resource.properties.a
level := 2 if input.resource.properties.b

deny contains {"message": "x", "details": {}} if level > 5
`,
    });
    const outDir = await mkdtemp(path.join(tmpdir(), 'drift-out-'));
    await buildPolicies({ sourceDir: tree, outDir, log: quiet });
    const engine = await PolicyEngine.load(outDir);
    const resource = {
      provider: 'aws',
      kind: 'storage.bucket',
      id: 'arn:aws:s3:::c',
      name: 'c',
      properties: { a: true },
    };
    expect(engine.evaluate(resource)).toEqual([]);
    const both = { ...resource, properties: { a: true, b: true } };
    expect(() => engine.evaluate(both)).toThrow(EvaluationError);
    expect(() => engine.evaluate(both)).toThrow(/arn:aws:s3:::c/);
    // In a batch the failure lands on that resource alone; the others are judged.
    const outcomes = engine.evaluateMany([resource, both, { ...resource, id: 'arn:aws:s3:::d' }]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed?.ok === false && failed.error.message).toMatch(/arn:aws:s3:::c/);
  });

  it('fails when dispatch.rego does not match the kinds in the METADATA, naming the command', async () => {
    const tree = await policyTreeWith(
      {
        'common/storage/extra.rego': `${metadata('DD-TEST-003')}package drift.rules.storage.extra

rule_id := rego.metadata.chain()[1].annotations.custom.id

deny contains {"message": "x", "details": {}} if input.resource.kind == "storage.bucket"
`,
      },
      { keepDispatch: true },
    );
    const error = await buildError(tree);
    expect(error.message).toContain('dispatch.rego is stale');
    expect(error.message).toContain('npx nx run policies:dispatch');
  });

  it('runs a rule only on the kinds its METADATA lists; everyRule runs it on any', async () => {
    // The rule itself would deny any resource: only its kinds keep it to buckets.
    const tree = await policyTreeWith({
      'common/storage/everything.rego': `${metadata('DD-TEST-004')}package drift.rules.storage.everything

rule_id := rego.metadata.chain()[1].annotations.custom.id

deny contains {"message": "denied", "details": {}} if input.resource.id
`,
    });
    const outDir = await mkdtemp(path.join(tmpdir(), 'drift-out-'));
    await buildPolicies({ sourceDir: tree, outDir, log: quiet });
    const engine = await PolicyEngine.load(outDir);
    const ids = (violations: readonly { ruleId: string }[]) => violations.map((v) => v.ruleId);
    const of = (kind: string) => ({
      provider: 'aws',
      kind,
      id: `x-${kind}`,
      name: 'x',
      properties: {},
    });
    expect(ids(engine.evaluate(of('storage.bucket')))).toContain('DD-TEST-004');
    expect(ids(engine.evaluate(of('network.firewall')))).not.toContain('DD-TEST-004');
    expect(engine.evaluate(of('queue.unknown'))).toEqual([]);
    expect(ids(engine.evaluateEveryRule(of('network.firewall')))).toContain('DD-TEST-004');
    expect(ids(engine.evaluateEveryRule(of('queue.unknown')))).toEqual(['DD-TEST-004']);
  });

  it('refuses a bundle built without the rule-id entrypoint', async () => {
    const opa = await ensureTool(OPA, quiet);
    const outDir = await mkdtemp(path.join(tmpdir(), 'drift-out-'));
    // The real main.rego marks both rules `entrypoint: true`; this one exports only one.
    const tree = await policyTreeWith({
      'main.rego': `package drift.main

violations contains object.union(v, {"rule_id": rule.rule_id}) if {
	some group in data.drift.rules
	some rule in group
	some v in rule.deny
}
`,
    });
    const bundlePath = path.join(outDir, 'b.tar.gz');
    const result = await run(opa.path, [
      'build',
      '-t',
      'wasm',
      '-e',
      'drift/main/violations',
      '--ignore',
      '*_test.rego',
      '-o',
      bundlePath,
      path.join(tree, 'main.rego'),
      path.join(tree, 'lib'),
      path.join(tree, 'common'),
    ]);
    expect(result.code).toBe(0);
    const wasm = readTarGz(await readFile(bundlePath)).get('policy.wasm');
    if (!wasm) throw new Error('opa build wrote no policy.wasm');
    const real = JSON.parse(
      await readFile(
        path.resolve(import.meta.dirname, '../../dist/policies/manifest.json'),
        'utf8',
      ),
    );
    const manifest = Buffer.from(JSON.stringify({ ...real, wasmSha256: sha256Hex(wasm) }));
    await expect(PolicyEngine.load(assembleBundle(outDir, wasm, manifest))).rejects.toThrow(
      EntrypointMissingError,
    );
  });
});
