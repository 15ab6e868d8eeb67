import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from './resource.js';
import { resourceJsonSchema, validateResource } from './schema.js';

describe('resource.schema.json', () => {
  it('is the schema the model generates (run scripts/write-schema.ts after changing the model)', async () => {
    const checkedIn = JSON.parse(
      await readFile(
        path.join(import.meta.dirname, '..', 'schema', 'resource.schema.json'),
        'utf8',
      ),
    );
    expect(checkedIn).toEqual(resourceJsonSchema());
  });

  it('has one variant per kind', () => {
    const schema = resourceJsonSchema() as { oneOf: { properties: { kind: { const: string } } }[] };
    expect(schema.oneOf.map((v) => v.properties.kind.const).sort()).toEqual([...KINDS].sort());
  });
});

describe('validateResource', () => {
  it('names the path of each problem', () => {
    const problems = validateResource({
      provider: 'aws',
      kind: 'network.firewall',
      properties: { rules: [{}] },
    });
    expect(problems.join('\n')).toMatch(/properties\.rules\.0\.direction/);
    expect(problems.join('\n')).toMatch(/^id:/m);
  });
});
