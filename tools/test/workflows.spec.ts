// The GitHub Actions workflows (.github): actionlint finds nothing in them, actionlint can
// fail (so a clean run means something), and their structure keeps each cloud's workflow to
// its own cloud. YAML is read with the pinned OPA (`opa eval --input` takes YAML), so the spec
// needs no YAML package of its own.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';
import { run } from '../src/process.js';
import { ensureTool } from '../src/toolchain/ensure.js';
import { ACTIONLINT, OPA } from '../src/toolchain/go-tools.js';

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly 'working-directory'?: string;
  readonly with?: Record<string, unknown>;
}

interface Job {
  readonly 'runs-on': string;
  readonly 'timeout-minutes'?: number;
  readonly steps: Step[];
}

interface Trigger {
  readonly branches?: string[];
  readonly paths?: string[];
}

interface Workflow {
  readonly name: string;
  readonly on: {
    readonly push?: Trigger;
    readonly pull_request?: Trigger;
    readonly workflow_dispatch?: unknown;
  };
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': unknown };
  readonly jobs: Record<string, Job>;
}

interface CompositeAction {
  readonly runs: { readonly using: string; readonly steps: Step[] };
}

interface DependabotUpdate {
  readonly 'package-ecosystem': string;
  readonly directory?: string;
  readonly directories?: string[];
  readonly groups?: Record<string, { readonly patterns: string[] }>;
}

const githubDir = path.join(workspaceRoot, '.github');
const workflowsDir = path.join(githubDir, 'workflows');
const setupActionDir = path.join(githubDir, 'actions', 'setup');
const SETUP_ACTION = './.github/actions/setup';

/** One workflow per provider library: libs/providers/<provider> ↔ .github/workflows/<provider>.yml. */
const providers = readdirSync(path.join(workspaceRoot, 'libs', 'providers'), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
/** The shared libraries every provider builds on (libs/* apart from the providers). */
const sharedLibs = readdirSync(path.join(workspaceRoot, 'libs'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'providers')
  .map((entry) => entry.name)
  .sort();
const goTools = readdirSync(path.join(workspaceRoot, 'tools', 'go'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

let opa: string;
let actionlint: string;

beforeAll(async () => {
  opa = (await ensureTool(OPA)).path;
  actionlint = (await ensureTool(ACTIONLINT)).path;
});

async function parseYaml<T>(file: string): Promise<T> {
  const result = await run(opa, ['eval', '--format', 'json', '--input', file, 'input']);
  if (result.code !== 0) throw new Error(`opa could not read ${file}:\n${result.stderr}`);
  const answer = JSON.parse(result.stdout) as { result?: { expressions: { value: T }[] }[] };
  const value = answer.result?.[0]?.expressions[0]?.value;
  if (value === undefined) throw new Error(`${file} holds no document`);
  return value;
}

function workflowFiles(): string[] {
  return readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

function readWorkflow(file: string): Promise<Workflow> {
  return parseYaml<Workflow>(path.join(workflowsDir, file));
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/** The one step whose `run` matches; fails the test when there is none or more than one. */
function runStep(workflow: Workflow, pattern: RegExp): Step & { run: string } {
  const found = steps(workflow).filter((step) => step.run !== undefined && pattern.test(step.run));
  expect(found, `steps whose run matches ${pattern}`).toHaveLength(1);
  return found[0] as Step & { run: string };
}

function pushPaths(workflow: Workflow): string[] {
  return workflow.on.push?.paths ?? [];
}

/** Whether a path filter names the provider (as a folder, a file or a prefix like aws-adapter). */
function mentions(filter: string, provider: string): boolean {
  return filter.split(/[/.*-]+/).includes(provider);
}

/** A Go line as one comparable number: "1.26.x" → 1026. */
function goLine(version: string): number {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major * 1000 + minor;
}

async function lint(cwd: string, files: readonly string[]) {
  const result = await run(actionlint, ['-no-color', ...files], { cwd });
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}

describe('actionlint', () => {
  it('finds nothing in .github/workflows', async () => {
    const files = workflowFiles().map((file) => path.join('.github', 'workflows', file));
    expect(files.length).toBeGreaterThan(0);
    expect(await lint(workspaceRoot, files)).toEqual({ code: 0, output: '' });
  });

  /** A copy of .github in a fresh folder, with aws.yml replaced by `change` of it. */
  async function lintChangedCopy(change: (workflow: Workflow) => void) {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-workflows-'));
    await cp(githubDir, path.join(dir, '.github'), { recursive: true });
    // actionlint reads local actions (./.github/actions/*) only inside a Git work tree.
    await writeFile(path.join(dir, '.git'), '');
    try {
      const workflow = await readWorkflow('aws.yml');
      change(workflow);
      // JSON is YAML: the changed workflow is written without a YAML serializer.
      await writeFile(
        path.join(dir, '.github', 'workflows', 'aws.yml'),
        JSON.stringify(workflow, null, 2),
      );
      return await lint(dir, [path.join('.github', 'workflows', 'aws.yml')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  function stepUsing(workflow: Workflow, action: string): Step {
    const step = steps(workflow).find((s) => s.uses?.startsWith(action));
    if (!step) throw new Error(`aws.yml has no step that uses ${action}`);
    return step;
  }

  it('passes the unchanged copy, so the failures below come from the change alone', async () => {
    expect(await lintChangedCopy(() => undefined)).toEqual({ code: 0, output: '' });
  });

  it.each([
    {
      problem: 'an expression naming an unknown property',
      change: (workflow: Workflow) => {
        Object.assign(workflow, {
          concurrency: {
            ...workflow.concurrency,
            group: '${{ github.workflow }}-${{ github.reff }}',
          },
        });
      },
      message: /property "reff" is not defined in object type/,
    },
    {
      problem: 'an unclosed expression',
      change: (workflow: Workflow) => {
        const step = runStep(workflow, /nx affected/);
        Object.assign(step, { run: `${step.run} --base=\${{ env.NX_BASE ` });
      },
      message: /unexpected EOF while lexing expression/,
    },
    {
      problem: 'an unknown input of the setup action',
      change: (workflow: Workflow) => {
        Object.assign(stepUsing(workflow, SETUP_ACTION), { with: { 'node-version': '24' } });
      },
      message: /input "node-version" is not defined in action "Set up Drift Detective"/,
    },
    {
      problem: 'an unknown input of actions/checkout',
      change: (workflow: Workflow) => {
        Object.assign(stepUsing(workflow, 'actions/checkout@'), { with: { 'fetch-dept': 0 } });
      },
      message: /input "fetch-dept" is not defined in action "actions\/checkout@v\d+"/,
    },
  ])('fails on $problem', async ({ change, message }) => {
    const result = await lintChangedCopy(change);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^\.github\/workflows\/aws\.yml:\d+:\d+: /);
    expect(result.output).toMatch(message);
  });
});

describe('workflow structure', () => {
  it('has one workflow per provider library', () => {
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect(existsSync(path.join(workflowsDir, `${provider}.yml`)), provider).toBe(true);
    }
  });

  describe.each(providers)('%s.yml', (provider) => {
    it("runs when the provider's folders or what they build on change, and for no other provider", async () => {
      const workflow = await readWorkflow(`${provider}.yml`);
      const paths = pushPaths(workflow);
      expect(paths).toEqual(
        expect.arrayContaining([
          `libs/providers/${provider}/**`,
          `apps/${provider}-adapter/**`,
          `deploy/${provider}/**`,
          ...sharedLibs.map((lib) => `libs/${lib}/**`),
          'policies/**',
          'package-lock.json',
          `.github/workflows/${provider}.yml`,
        ]),
      );
      for (const other of providers.filter((p) => p !== provider)) {
        expect(paths.filter((filter) => mentions(filter, other))).toEqual([]);
      }
    });

    it('lints, typechecks, tests and builds the affected projects of its scope only', async () => {
      const workflow = await readWorkflow(`${provider}.yml`);
      const affected = runStep(workflow, /\bnx affected\b/).run;
      expect(affected).toMatch(/ -t lint typecheck test test-other-node build /);
      // Nx ignores `nx affected --projects` and passes it on to every command: the scope is
      // chosen by excluding everything else.
      expect(affected).toContain(`--exclude='*,!tag:scope:${provider}'`);
      expect(affected).not.toContain('--projects');
      expect(affected.match(/tag:scope:[\w-]+/g)).toEqual([`tag:scope:${provider}`]);
    });
  });

  it('ci.yml runs the shared core (scope:shared and scope:all) but not the policies', async () => {
    const workflow = await readWorkflow('ci.yml');
    const affected = runStep(workflow, /\bnx affected\b/).run;
    expect(affected).toMatch(/ -t lint typecheck test test-other-node build /);
    expect(affected).toContain(`--exclude='*,!tag:scope:shared,!tag:scope:all,policies'`);
    expect(affected).not.toContain('--projects');
    expect(pushPaths(workflow)).toEqual(
      expect.arrayContaining([
        ...sharedLibs.map((lib) => `libs/${lib}/**`),
        'apps/cli/**',
        // The CLI wires every provider; the shared libs read the policies.
        'libs/providers/**',
        'policies/**',
        'tools/**',
        '.github/**',
      ]),
    );
    for (const provider of providers) {
      expect(pushPaths(workflow).filter((filter) => mentions(filter, provider))).toEqual([]);
    }
    // .github belongs to no Nx project: this spec runs by itself so workflow changes are checked.
    expect(runStep(workflow, /workflows\.spec\.ts/).run).toMatch(/\bvitest run\b/);
  });

  it('policies.yml runs the four policy targets and uploads the bundle with its digest', async () => {
    const workflow = await readWorkflow('policies.yml');
    expect(pushPaths(workflow)).toEqual(
      expect.arrayContaining([
        'policies/**',
        'tools/src/policy-build/**',
        'tools/src/policy-tasks/**',
        'tools/go/opa/**',
        'tools/go/regal/**',
        '.github/workflows/policies.yml',
      ]),
    );
    const targets = runStep(workflow, /\bnx run-many\b/).run;
    expect(targets).toMatch(/-t lint typecheck test build -p policies\b/);

    const digestStep = runStep(workflow, /\bsha256sum\b/);
    const digest = digestStep.run;
    expect(digest).toMatch(/sha256sum bundle\.tar\.gz policy\.wasm/);
    const digestFile = /(?:tee|>) ?(\S+\.sha256)/.exec(digest)?.[1];
    expect(digestFile, 'the file the digest is written to').toBeDefined();

    const upload = steps(workflow).filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toHaveLength(1);
    const uploaded = String(upload[0]!.with?.['path']).trim().split('\n');
    expect(uploaded).toContain('dist/policies');
    expect(uploaded).toContain(
      path.posix.join(digestStep['working-directory'] ?? '.', String(digestFile)),
    );
    expect(upload[0]!.with?.['if-no-files-found']).toBe('error');
  });

  describe.each(workflowFiles())('%s', (file) => {
    it('runs on push to main, on pull requests with the same paths, and by hand', async () => {
      const { on } = await readWorkflow(file);
      expect(on.push?.branches).toEqual(['main']);
      expect(on.push?.paths?.length).toBeGreaterThan(0);
      expect(on.pull_request?.paths).toEqual(on.push?.paths);
      expect(on).toHaveProperty('workflow_dispatch');
      // The workflow reruns when it changes itself.
      expect(
        on.push?.paths?.some((p) => p === `.github/workflows/${file}` || p === '.github/**'),
      ).toBe(true);
    });

    it('checks out, then uses the setup action, in every job', async () => {
      const workflow = await readWorkflow(file);
      for (const [name, job] of Object.entries(workflow.jobs)) {
        expect(job.steps[0]?.uses, name).toMatch(/^actions\/checkout@/);
        expect(job.steps[1]?.uses, name).toBe(SETUP_ACTION);
        expect(job['timeout-minutes'], `${name} timeout-minutes`).toBeGreaterThan(0);
      }
    });

    it('reads the repository only and cancels superseded pull request runs', async () => {
      const workflow = await readWorkflow(file);
      expect(workflow.permissions?.['contents']).toBe('read');
      expect(Object.values(workflow.permissions ?? {})).not.toContain('write');
      expect(workflow.concurrency?.group).toContain('github.ref');
      expect(String(workflow.concurrency?.['cancel-in-progress'])).toContain('pull_request');
    });

    it('lets nx affected find its base: full history and nx-set-shas first', async () => {
      const workflow = await readWorkflow(file);
      const all = steps(workflow);
      const affected = all.findIndex((s) => s.run !== undefined && /\bnx affected\b/.test(s.run));
      if (affected < 0) return;
      expect(all[0]?.with?.['fetch-depth']).toBe(0);
      const shas = all.findIndex((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
      expect(shas).toBeGreaterThan(0);
      expect(shas).toBeLessThan(affected);
      // nx-set-shas reads the workflow's past runs.
      expect(workflow.permissions?.['actions']).toBe('read');
    });
  });

  it('pins every action to a release or a commit, never a branch like @main', async () => {
    const uses = [
      ...(await Promise.all(workflowFiles().map(readWorkflow))).flatMap(steps),
      ...(await parseYaml<CompositeAction>(path.join(setupActionDir, 'action.yml'))).runs.steps,
    ]
      .map((step) => step.uses)
      .filter((ref): ref is string => ref !== undefined && !ref.startsWith('./'));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) {
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
    }
  });

  it('the setup action installs Node (.nvmrc), Go, Python, caches the toolchain, then bootstraps', async () => {
    const { runs } = await parseYaml<CompositeAction>(path.join(setupActionDir, 'action.yml'));
    expect(runs.using).toBe('composite');
    const using = (action: string) => runs.steps.find((s) => s.uses?.startsWith(`${action}@`));
    expect(using('actions/setup-node')?.with).toMatchObject({
      'node-version-file': '.nvmrc',
      cache: 'npm',
    });
    // A go.mod `go` line is a minimum: the Go set up is a line (1.26.x) no older than any.
    const goVersion = String(using('actions/setup-go')?.with?.['go-version']);
    expect(goVersion).toMatch(/^\d+\.\d+\.x$/);
    for (const tool of goTools) {
      const goMod = readFileSync(path.join(workspaceRoot, 'tools', 'go', tool, 'go.mod'), 'utf8');
      const needed = /^go (\d+\.\d+)/m.exec(goMod)?.[1] ?? '';
      expect(
        goLine(goVersion),
        `tools/go/${tool}/go.mod needs go ${needed}`,
      ).toBeGreaterThanOrEqual(goLine(needed));
    }
    expect(using('actions/setup-go')?.with?.['cache-dependency-path']).toBe('tools/go/*/go.sum');
    expect(using('actions/setup-python')?.with).toMatchObject({
      'python-version': '3.11',
      cache: 'pip',
      'cache-dependency-path': 'tools/python/requirements.txt',
    });
    const cache = using('actions/cache')?.with ?? {};
    expect(String(cache['path']).trim().split('\n')).toEqual(
      expect.arrayContaining(['tools/bin', 'tools/.venv', 'tools/.node']),
    );
    for (const input of [
      'tools/go/*/go.sum',
      'tools/python/requirements.txt',
      '.nvmrc',
      'tools/node-current-lts',
      'tools/src/toolchain/node-lines.ts',
    ]) {
      expect(String(cache['key'])).toContain(`'${input}'`);
    }
    expect(runs.steps.at(-1)?.run?.trim()).toBe('make bootstrap');
  });

  it('dependabot moves each SDK family as one update and covers every manifest', async () => {
    const { updates } = await parseYaml<{ updates: DependabotUpdate[] }>(
      path.join(githubDir, 'dependabot.yml'),
    );
    const dirs = (ecosystem: string) =>
      updates
        .filter((u) => u['package-ecosystem'] === ecosystem)
        .flatMap((u) => u.directories ?? [u.directory ?? '']);
    const npm = updates.find((u) => u['package-ecosystem'] === 'npm');
    expect(npm?.directory).toBe('/');
    expect(npm?.groups?.['aws-sdk']?.patterns).toEqual(
      expect.arrayContaining(['@aws-sdk/*', '@smithy/*', '@aws-crypto/*']),
    );
    expect(npm?.groups?.['azure-sdk']?.patterns).toContain('@azure/*');
    expect(npm?.groups?.['google-cloud']?.patterns).toEqual(
      expect.arrayContaining(['@google-cloud/*', 'google-gax', 'google-auth-library']),
    );
    expect(dirs('gomod').sort()).toEqual(goTools.map((tool) => `/tools/go/${tool}`));
    expect(dirs('pip')).toEqual(['/tools/python']);
    const actionDirs = (await readdir(path.join(githubDir, 'actions'))).map(
      (dir) => `/.github/actions/${dir}`,
    );
    expect(dirs('github-actions').sort()).toEqual(['/', ...actionDirs].sort());
  });
});
