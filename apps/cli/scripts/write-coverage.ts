// npx tsx --conditions=development apps/cli/scripts/write-coverage.ts (after nx run policies:build)
import { writeFile } from 'node:fs/promises';
import { readBundleDir } from '@drift-detective/policy-engine';
import { builtPolicyDir } from '@drift-detective/testing';
import { coverageFile, coverageMarkdown, frameworksDir, readBenchmarks } from './coverage.js';

const { manifest } = await readBundleDir(builtPolicyDir);
await writeFile(
  coverageFile,
  coverageMarkdown(await readBenchmarks(frameworksDir), manifest.rules),
);
process.stdout.write(`wrote ${coverageFile}\n`);
