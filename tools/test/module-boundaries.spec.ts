import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';

const fixtures = path.join(workspaceRoot, 'tools', 'boundary-fixtures');

async function boundaryErrors(fixture: string): Promise<string[]> {
  // ignore: false lints the fixtures that the workspace config ignores on purpose.
  const eslint = new ESLint({ cwd: workspaceRoot, ignore: false });
  const [result] = await eslint.lintFiles([path.join(fixtures, fixture, 'src', 'index.ts')]);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('@nx/enforce-module-boundaries with the workspace tag matrix', () => {
  beforeAll(() => {
    // The rule reads the cached project graph and silently skips itself when
    // there is none; computing it here makes the spec independent of how it runs.
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: workspaceRoot, stdio: 'ignore' });
  });

  it('fails a library that imports an app', async () => {
    const errors = await boundaryErrors('lib-imports-app');
    expect(errors.join('\n')).toMatch(
      /tagged with "type:lib" can only depend on libs tagged with "type:lib"/,
    );
  });

  it('fails one provider scope importing another', async () => {
    const errors = await boundaryErrors('aws-lib-imports-azure');
    expect(errors.join('\n')).toMatch(
      /tagged with "scope:aws" can only depend on libs tagged with "scope:aws", "scope:shared"/,
    );
  });

  it('fails a shared library importing a provider library', async () => {
    const errors = await boundaryErrors('shared-lib-imports-aws');
    expect(errors.join('\n')).toMatch(
      /tagged with "scope:shared" can only depend on libs tagged with "scope:shared"/,
    );
  });

  it('allows a provider library to import a shared library', async () => {
    expect(await boundaryErrors('aws-lib-imports-shared')).toEqual([]);
  });
});
