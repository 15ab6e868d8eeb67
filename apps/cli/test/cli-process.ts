import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const bin = path.resolve(import.meta.dirname, '..', 'bin', 'drift-detective.js');
export const workspaceRoot = path.resolve(import.meta.dirname, '..', '..', '..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The command line that runs the CLI with file permissions binding it. A
 * non-root user is bound already. Root (CI runs as root) is not: it runs
 * without the capabilities that bypass them (CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH), dropped by util-linux's setpriv — still root, so it
 * reads the checkout wherever it lies, but a mode-000 file stops it.
 */
function commandLine(args: readonly string[], unprivileged: boolean): [string, string[]] {
  const node: [string, string[]] = [process.execPath, [bin, ...args]];
  if (!unprivileged || process.getuid?.() !== 0) return node;
  return ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', node[0], ...node[1]]];
}

/** Runs the built CLI as a user would, optionally feeding stdin, optionally bound by file permissions. */
export function cli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; unprivileged?: boolean } = {},
) {
  return new Promise<CliResult>((resolve) => {
    const [command, commandArgs] = commandLine(args, options.unprivileged === true);
    const child = execFile(
      command,
      commandArgs,
      { env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

export async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'drift-cli-')), name);
  await writeFile(file, text);
  return file;
}

export function nativeFixture(provider: string, name: string): string {
  return path.join(
    workspaceRoot,
    'libs',
    'providers',
    provider,
    'test',
    'fixtures',
    'native',
    name,
  );
}

/** The four S3 Block Public Access messages DD-STORAGE-001 gives a bucket with all of them off. */
export function blockPublicAccessMessages(bucket: string): string[] {
  return [
    `S3 bucket '${bucket}' allows public ACLs. BlockPublicAcls must be true.`,
    `S3 bucket '${bucket}' does not ignore public ACLs. IgnorePublicAcls must be true.`,
    `S3 bucket '${bucket}' allows public policies. BlockPublicPolicy must be true.`,
    `S3 bucket '${bucket}' does not restrict public buckets. RestrictPublicBuckets must be true.`,
  ];
}

/** `count` open security groups as AWS Config items, each with a DD-NET-001 finding. */
export async function securityGroupItems(count: number): Promise<Record<string, unknown>[]> {
  const item = JSON.parse(
    await readFile(nativeFixture('aws', 'dd-net-001-violating-ssh-open.json'), 'utf8'),
  ) as Record<string, unknown>;
  return Array.from({ length: count }, (_, i) => ({
    ...item,
    resourceId: `sg-${i}`,
    ARN: `arn:aws:ec2:us-east-1:123456789012:security-group/sg-${i}`,
  }));
}

/** An NDJSON export of `count` open security groups in `dir`, each with a DD-NET-001 finding. */
export async function securityGroups(dir: string, count: number): Promise<string> {
  const lines = (await securityGroupItems(count)).map((item) => JSON.stringify(item));
  const file = path.join(dir, 'groups.ndjson');
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o644 });
  return file;
}
