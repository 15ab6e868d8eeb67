import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
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
 * The uid and gid of an unprivileged user when the tests run as root (CI
 * does): file permissions hold only for such a user. Undefined otherwise, as a
 * non-root user already is one.
 */
export function unprivileged(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

/** Runs the built CLI as a user would, optionally feeding stdin, optionally as an unprivileged user. */
export function cli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; unprivileged?: boolean } = {},
) {
  return new Promise<CliResult>((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      {
        env: { ...process.env, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        ...(options.unprivileged ? unprivileged() : {}),
      },
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
