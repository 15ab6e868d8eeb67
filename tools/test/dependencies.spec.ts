// One release per SDK family: every workspace pins the same version of each
// package of a family, and the lockfile holds one copy of each package the
// family's clients share at run time (what `npm ls` shows), so two clients
// never carry two copies of the same middleware or credential chain.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/paths.js';

/** The SDK families, by package name. */
const FAMILIES: Record<string, RegExp> = {
  'AWS SDK for JavaScript v3': /^@(aws-sdk|smithy|aws-crypto)\//,
  'Azure SDK for JavaScript': /^@azure(-rest)?\//,
  'Google Cloud client libraries': /^(@google-cloud\/|google-gax$|google-auth-library$)/,
};

interface Lockfile {
  readonly packages: Record<
    string,
    {
      readonly version?: string;
      readonly dependencies?: Record<string, string>;
      readonly devDependencies?: Record<string, string>;
    }
  >;
}

async function lockfile(): Promise<Lockfile> {
  return JSON.parse(await readFile(path.join(workspaceRoot, 'package-lock.json'), 'utf8'));
}

/** Every version of each installed package: `node_modules/<name>` anywhere in the tree. */
function installedVersions(lock: Lockfile): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const [where, entry] of Object.entries(lock.packages)) {
    const at = where.lastIndexOf('node_modules/');
    if (at < 0 || entry.version === undefined) continue;
    const name = where.slice(at + 'node_modules/'.length);
    versions.set(name, (versions.get(name) ?? new Set()).add(entry.version));
  }
  return versions;
}

describe('one release per SDK family', () => {
  it('installs one copy of every package of each family', async () => {
    const versions = installedVersions(await lockfile());
    const aws = [...versions.keys()].filter((name) =>
      FAMILIES['AWS SDK for JavaScript v3']!.test(name),
    );
    // The check sees the family: the clients and the runtime they share.
    expect(aws).toEqual(
      expect.arrayContaining(['@aws-sdk/client-sqs', '@aws-sdk/core', '@smithy/core']),
    );
    const duplicated = [...versions]
      .filter(
        ([name, found]) => Object.values(FAMILIES).some((f) => f.test(name)) && found.size > 1,
      )
      .map(([name, found]) => `${name}: ${[...found].join(', ')}`);
    expect(duplicated).toEqual([]);
  });

  it('pins each package of a family to one exact version in every workspace', async () => {
    const lock = await lockfile();
    const pins = new Map<string, Set<string>>();
    for (const [where, entry] of Object.entries(lock.packages)) {
      if (where.includes('node_modules/')) continue; // a workspace's own package.json
      for (const [name, range] of Object.entries({
        ...entry.dependencies,
        ...entry.devDependencies,
      })) {
        if (!Object.values(FAMILIES).some((f) => f.test(name))) continue;
        expect(range, `${where || '(root)'}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/);
        pins.set(name, (pins.get(name) ?? new Set()).add(range));
      }
    }
    expect(pins.size).toBeGreaterThan(0);
    const split = [...pins]
      .filter(([, found]) => found.size > 1)
      .map(([name, f]) => `${name}: ${[...f].join(', ')}`);
    expect(split).toEqual([]);
  });
});
