// One CI pipeline per provider rests on the project graph: a change in one
// cloud's folder must select that cloud's projects (and the CLI, which offers
// every cloud), never another cloud's — above all not the AWS projects whose
// tests run moto. A change in policies/ or a shared lib re-tests every cloud.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';

const run = promisify(execFile);

/** The projects `nx affected` selects when only `file` changed. */
async function affectedBy(file: string): Promise<string[]> {
  const { stdout } = await run(
    'npx',
    ['nx', 'show', 'projects', '--affected', '--files', file, '--json'],
    { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' } },
  );
  return (JSON.parse(stdout) as string[]).sort();
}

/** The projects whose tests drive moto_server (the AWS emulator). */
const MOTO_PROJECTS = ['aws-adapter', 'aws-deploy', 'provider-aws'];
const EVERY_CLOUD = ['provider-aws', 'provider-azure', 'provider-gcp'];

describe('nx affected selects each pipeline exactly', () => {
  it.each([
    [
      'libs/providers/aws/src/index.ts',
      ['aws-adapter', 'aws-deploy', 'bench', 'cli', 'provider-aws'],
    ],
    // bench measures each cloud's event path with its provider's endpoint.
    ['libs/providers/azure/src/index.ts', ['azure-adapter', 'bench', 'cli', 'provider-azure']],
    ['libs/providers/gcp/src/index.ts', ['bench', 'cli', 'gcp-adapter', 'provider-gcp']],
    ['apps/gcp-adapter/src/main.ts', ['gcp-adapter']],
    ['apps/aws-adapter/src/lambda.ts', ['aws-adapter', 'aws-deploy']],
    ['apps/azure-adapter/src/functions.ts', ['azure-adapter']],
    ['deploy/aws/template.yaml', ['aws-deploy']],
    ['apps/cli/src/main.ts', ['cli']],
    [
      'libs/findings/src/index.ts',
      [
        'aws-adapter',
        'aws-deploy',
        'azure-adapter',
        'bench',
        'cli',
        'findings',
        'gcp-adapter',
        'pipeline',
        'provider-aws',
        'provider-azure',
        'provider-gcp',
      ],
    ],
    [
      'policies/main.rego',
      [
        'aws-adapter',
        'aws-deploy',
        'azure-adapter',
        'bench',
        'cli',
        'findings',
        'gcp-adapter',
        'pipeline',
        'policies',
        'provider-aws',
        'provider-azure',
        'provider-gcp',
        'testing',
        // tools runs the stand-ins (tools/src/standins), which live in testing.
        'tools',
      ],
    ],
  ])('a change to %s selects %j', async (file, expected) => {
    expect(await affectedBy(file)).toEqual(expected);
  });

  it('keeps the AWS emulator tests out of the Azure and GCP pipelines', async () => {
    for (const file of ['libs/providers/azure/src/index.ts', 'libs/providers/gcp/src/index.ts']) {
      const selected = await affectedBy(file);
      expect(selected.filter((p) => MOTO_PROJECTS.includes(p))).toEqual([]);
    }
  });

  it('re-tests every cloud when a shared lib or the policies change', async () => {
    for (const file of ['libs/resource-model/src/index.ts', 'policies/main.rego']) {
      expect(await affectedBy(file)).toEqual(expect.arrayContaining(EVERY_CLOUD));
    }
  });
});
