import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The bundle that `nx run policies:build` wrote (the test target depends on it). */
export const builtBundleDir = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'dist',
  'policies',
);

/** A private copy of the built bundle that a test may break. */
export async function copyOfBuiltBundle(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-bundle-'));
  await cp(builtBundleDir, dir, { recursive: true });
  return dir;
}

export async function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void) {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(manifest);
  await writeFile(file, JSON.stringify(manifest));
}

/** A normalized S3 bucket, as the AWS normalizer emits one. */
export function s3Bucket(name: string, properties: Record<string, unknown> = {}) {
  return {
    provider: 'aws',
    kind: 'storage.bucket',
    nativeType: 'AWS::S3::Bucket',
    id: `arn:aws:s3:::${name}`,
    name,
    account: '123456789012',
    region: 'us-east-1',
    tags: {},
    observedAt: '2026-11-01T00:00:00Z',
    properties: {
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
      accountPublicAccessBlock: null,
      encryption: { atRest: true, algorithm: 'AES256', keyId: null },
      ...properties,
    },
    native: {},
  };
}

export const NOTHING_BLOCKED = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
