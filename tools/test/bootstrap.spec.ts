// tools/bootstrap/node.sh picks the Node.js every step of `make` runs on: the
// machine's own when it is 22 or newer, else the pinned 22 from .nvmrc.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';
import { ensureNode, installedNodeBinary } from '../src/toolchain/node-lines.js';

const run = promisify(execFile);
const script = path.join(workspaceRoot, 'tools', 'bootstrap', 'node.sh');

/** A folder whose `node` claims to be of the given major version, first on PATH. */
async function machineNode(major: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-node-'));
  const fake = path.join(dir, 'node');
  await writeFile(
    fake,
    `#!/bin/sh\ncase "$2" in *versions*) echo ${major} ;; *execPath*) echo ${fake} ;; esac\n`,
  );
  await chmod(fake, 0o755);
  return dir;
}

async function bootstrapWith(pathDirs: string[]): Promise<string> {
  const { stdout } = await run('bash', [script], {
    env: { ...process.env, PATH: [...pathDirs, process.env['PATH']].join(':') },
  });
  return stdout.trim();
}

describe('tools/bootstrap/node.sh', () => {
  it('uses the pinned Node.js 22 of .nvmrc when the machine has Node.js 20', async () => {
    const pinned = (await readFile(path.join(workspaceRoot, '.nvmrc'), 'utf8')).trim();
    // Installed once by the toolchain; the script then finds it without the network.
    await ensureNode(pinned, 'for the bootstrap test', () => undefined);
    const chosen = await bootstrapWith([await machineNode(20)]);
    expect(chosen).toBe(path.dirname(installedNodeBinary(pinned)));
    const { stdout } = await run(path.join(chosen, 'node'), ['--version']);
    expect(stdout.trim()).toBe(`v${pinned}`);
  }, 120_000);

  it("uses the machine's own Node.js when it is 22 or newer", async () => {
    for (const major of [22, 24]) {
      const dir = await machineNode(major);
      expect(await bootstrapWith([dir])).toBe(dir);
    }
  });
});
