// Regenerates schema/resource.schema.json from the zod model:
//   npx tsx --conditions=development libs/resource-model/scripts/write-schema.ts
// A test fails while the checked-in file differs from what this writes.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resourceJsonSchema } from '../src/schema.js';

const target = path.join(import.meta.dirname, '..', 'schema', 'resource.schema.json');
await writeFile(target, `${JSON.stringify(resourceJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
