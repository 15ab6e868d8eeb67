// npx tsx --conditions=development apps/cli/scripts/write-policy-catalog.ts
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { catalogData, catalogDir, catalogFixtures, catalogTests } from './policy-catalog.js';

const fixtures = await catalogFixtures();
await mkdir(catalogDir, { recursive: true });
await writeFile(path.join(catalogDir, 'data.json'), catalogData(fixtures));
await writeFile(path.join(catalogDir, 'catalog_test.rego'), catalogTests(fixtures));
process.stdout.write(`wrote ${fixtures.length} catalog fixtures to ${catalogDir}\n`);
