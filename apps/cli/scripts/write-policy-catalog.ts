// npx tsx --conditions=development apps/cli/scripts/write-policy-catalog.ts
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catalogData, catalogDir, catalogFixtures, catalogTests } from './policy-catalog.js';

const fixtures = await catalogFixtures();
await mkdir(catalogDir, { recursive: true });
await writeFile(path.join(catalogDir, 'data.json'), catalogData(fixtures));
// The test files of clouds that no longer have fixtures, and of the older layout, go.
for (const file of await readdir(catalogDir)) {
  if (file.endsWith('_test.rego')) await rm(path.join(catalogDir, file));
}
for (const [file, text] of catalogTests(fixtures)) {
  await writeFile(path.join(catalogDir, file), text);
}
process.stdout.write(`wrote ${fixtures.length} catalog fixtures to ${catalogDir}\n`);
