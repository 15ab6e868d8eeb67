import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BundleCorruptError, BundleNotFoundError, describeThrown } from './errors.js';
import { MetadataError, parseManifest, type PolicyManifest } from './manifest.js';

export const WASM_FILE = 'policy.wasm';
export const MANIFEST_FILE = 'manifest.json';
/**
 * The benchmarks' control lists (policies/frameworks/*.tsv: each control's id, title, and
 * whether the inventory holds its evidence), shipped beside the rules so that
 * `drift-detective rules --framework` reads the list the bundle's METADATA was written against.
 */
export const FRAMEWORKS_DIR = 'frameworks';

/** A compiled policy set: the wasm module and the metadata of its rules. */
export interface PolicyBundle {
  readonly wasm: Uint8Array;
  readonly manifest: PolicyManifest;
  /** Where it was read from, for error messages. */
  readonly location: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readRequired(location: string, file: string): Promise<Buffer> {
  const full = path.join(location, file);
  try {
    return await readFile(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BundleNotFoundError(location, `${file} is missing`);
    }
    throw new BundleCorruptError(location, `cannot read ${file}: ${describeThrown(error)}`);
  }
}

/**
 * Reads `policy.wasm` and `manifest.json` from a build output folder
 * (dist/policies by default) and checks that they belong together.
 */
export async function readBundleDir(location: string): Promise<PolicyBundle> {
  const info = await stat(location).catch(() => undefined);
  if (!info?.isDirectory()) throw new BundleNotFoundError(location, 'no such folder');
  const [wasm, manifestBytes] = await Promise.all([
    readRequired(location, WASM_FILE),
    readRequired(location, MANIFEST_FILE),
  ]);
  return assembleBundle(location, wasm, manifestBytes);
}

/** Validates the pieces of a bundle, wherever they were read from. */
export function assembleBundle(
  location: string,
  wasm: Uint8Array,
  manifestBytes: Uint8Array,
): PolicyBundle {
  let manifest: PolicyManifest;
  try {
    manifest = parseManifest(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
  } catch (error) {
    const detail =
      error instanceof MetadataError
        ? error.message
        : `manifest.json is not JSON (${describeThrown(error)})`;
    throw new BundleCorruptError(location, detail, { cause: error });
  }
  const digest = sha256Hex(wasm);
  if (digest !== manifest.wasmSha256) {
    throw new BundleCorruptError(
      location,
      `policy.wasm (sha256 ${digest.slice(0, 12)}…) is not the module manifest.json was built for (${manifest.wasmSha256.slice(0, 12)}…)`,
    );
  }
  return { wasm, manifest, location };
}
