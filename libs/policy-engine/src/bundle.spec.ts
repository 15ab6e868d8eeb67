import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyEngine } from './engine.js';
import { BundleCorruptError, BundleNotFoundError, RuleMetadataMissingError } from './errors.js';
import { copyOfBuiltBundle, editManifest } from '../test/bundle-dir.js';

async function loadError(dir: string): Promise<unknown> {
  try {
    await PolicyEngine.load(dir);
  } catch (error) {
    return error;
  }
  throw new Error('expected PolicyEngine.load to fail');
}

describe('loading a bundle', () => {
  it('loads an intact copy', async () => {
    const engine = await PolicyEngine.load(await copyOfBuiltBundle());
    expect(engine.rules.size).toBeGreaterThan(0);
  });

  it('names the folder and how to build when it does not exist', async () => {
    const error = await loadError('/nonexistent/dist/policies');
    expect(error).toBeInstanceOf(BundleNotFoundError);
    expect((error as Error).message).toContain('/nonexistent/dist/policies');
    expect((error as Error).message).toContain('nx run policies:build');
  });

  it('reports a missing policy.wasm as not found', async () => {
    const dir = await copyOfBuiltBundle();
    await rm(path.join(dir, 'policy.wasm'));
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(BundleNotFoundError);
    expect((error as Error).message).toContain('policy.wasm is missing');
  });

  it('refuses a policy.wasm that is not the one the manifest was built for', async () => {
    const dir = await copyOfBuiltBundle();
    const wasm = await readFile(path.join(dir, 'policy.wasm'));
    wasm[wasm.length - 1] = (wasm[wasm.length - 1] ?? 0) ^ 0xff;
    await writeFile(path.join(dir, 'policy.wasm'), wasm);
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(BundleCorruptError);
    expect((error as Error).message).toMatch(/not the module manifest\.json was built for/);
  });

  it('refuses bytes that are not WebAssembly even when the digest matches', async () => {
    const dir = await copyOfBuiltBundle();
    const garbage = Buffer.from('this is not wasm');
    await writeFile(path.join(dir, 'policy.wasm'), garbage);
    const { sha256Hex } = await import('./bundle.js');
    await editManifest(dir, (m) => (m['wasmSha256'] = sha256Hex(garbage)));
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(BundleCorruptError);
    expect((error as Error).message).toContain('does not load');
  });

  it('refuses a manifest that is not JSON', async () => {
    const dir = await copyOfBuiltBundle();
    await writeFile(path.join(dir, 'manifest.json'), '{"schemaVersion": 1,');
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(BundleCorruptError);
    expect((error as Error).message).toContain('manifest.json is not JSON');
  });

  it('refuses a manifest whose rule metadata is malformed, naming the field', async () => {
    const dir = await copyOfBuiltBundle();
    await editManifest(dir, (m) => {
      const rules = m['rules'] as Record<string, unknown>[];
      rules[0] = { ...rules[0], severity: 'SEVERE' };
    });
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(BundleCorruptError);
    expect((error as Error).message).toContain('custom.severity must be one of');
  });

  it('refuses a bundle that can return a rule id the manifest does not describe', async () => {
    const dir = await copyOfBuiltBundle();
    await editManifest(dir, (m) => {
      m['rules'] = (m['rules'] as { id: string }[]).filter((r) => r.id !== 'DD-STORAGE-003');
    });
    const error = await loadError(dir);
    expect(error).toBeInstanceOf(RuleMetadataMissingError);
    expect((error as RuleMetadataMissingError).ruleIds).toEqual(['DD-STORAGE-003']);
  });
});
