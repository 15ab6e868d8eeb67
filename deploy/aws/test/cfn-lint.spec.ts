// The lint target's cfn-lint step (tools/src/cfn-lint.ts): clean on the template, and
// failing, with cfn-lint's own words, on a template CloudFormation would refuse.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatePath, workspaceRoot } from './template.js';

const script = path.join(workspaceRoot, 'tools', 'src', 'cfn-lint.ts');

/** `tsx tools/src/cfn-lint.ts FILE…` from the workspace root, as the lint target runs it. */
function cfnLint(files: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...files], {
      cwd: workspaceRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('tools/src/cfn-lint.ts', () => {
  it('passes deploy/aws/template.yaml: exit 0, nothing to say', async () => {
    expect(await cfnLint([templatePath])).toEqual({ code: 0, output: '' });
  });

  it('fails a copy with a runtime Lambda does not have, naming rule, value and line', async () => {
    const text = await readFile(templatePath, 'utf8');
    const broken = text.replace(/^(\s+Runtime:) nodejs22\.x$/m, '$1 nodejs99.x');
    expect(broken).not.toBe(text);
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'drift-cfn-')), 'template.yaml');
    await writeFile(file, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('nodejs99.x')) + 1;

    const lint = await cfnLint([file]);
    // cfn-lint's exit code is a bitmask; 2 is "an error".
    expect(lint.code! & 2).toBe(2);
    expect(lint.output).toMatch(/^E3030 'nodejs99\.x' is not one of /m);
    expect(lint.output).toContain(`${file}:${line}:`);
  });

  it('says in one line where cfn-lint is missing', async () => {
    const lint = await cfnLint([templatePath], { CFN_LINT_BIN: '/nonexistent/cfn-lint' });
    expect(lint.code).toBe(1);
    expect(lint.output).toMatch(/^error: cfn-lint not found at \/nonexistent\/cfn-lint: .*\n$/);
  });
});
