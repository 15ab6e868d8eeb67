import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { policiesDir } from '../src/paths.js';

/** A private copy of the real policy tree, with extra Rego files written into it. */
export async function policyTreeWith(extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-policies-'));
  await cp(policiesDir, dir, { recursive: true });
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** METADATA for a throwaway rule package. */
export function metadata(id: string): string {
  return `# METADATA
# title: Test rule ${id}
# custom:
#   id: ${id}
#   severity: LOW
#   kinds: [storage.bucket]
#   frameworks: {}
#   remediation: Nothing to do.
`;
}

export const quiet = () => undefined;
