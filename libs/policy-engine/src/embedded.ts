import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assembleBundle, WASM_FILE } from './bundle.js';
import { PolicyEngine } from './engine.js';

/**
 * The engine of a deployed bundle (a Lambda or Functions package): the
 * manifest compiled into the module, the wasm a file beside it, checked
 * against the manifest's digest — so a policy change is a file swap the
 * digest still guards.
 */
export async function loadEmbeddedEngine(dir: string, manifest: string): Promise<PolicyEngine> {
  const wasm = await readFile(path.join(dir, WASM_FILE));
  return PolicyEngine.load(assembleBundle(dir, wasm, Buffer.from(manifest, 'utf8')));
}
