import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTool } from '../toolchain/ensure.js';
import { OPA } from '../toolchain/go-tools.js';
import { existingSources, BUNDLE_SOURCES } from './build.js';
import { RESOURCE_FIELDS } from '@drift-detective/resource-model';
import { unreadFields } from './field-reads.js';
import { workspaceRoot } from '../paths.js';

/** A policy tree of one rule file (and a test file beside it) with `body` as the rule's body. */
async function treeWith(body: string, testBody = 'true'): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-native-'));
  await mkdir(path.join(dir, 'common'));
  await writeFile(
    path.join(dir, 'common', 'rule.rego'),
    `package drift.rules.x.y\n\n# reads native? only in this comment\ndeny contains "m" if {\n\tresource := input.resource\n\t${body}\n}\n`,
  );
  await writeFile(
    path.join(dir, 'common', 'rule_test.rego'),
    `package drift.rules.x.y_test\n\ntest_x if {\n\t${testBody}\n}\n`,
  );
  return [path.join(dir, 'common')];
}

describe('the resource fields no rule reads', () => {
  const opa = () => ensureTool(OPA, () => undefined).then((tool) => tool.path);
  const unread = async (sources: string[]) => unreadFields(await opa(), sources, RESOURCE_FIELDS);

  it.each([
    ['a field of it', 'resource.native.versioning == "Off"'],
    ['it by key', 'resource["native"].x'],
    ['it through object.get', 'object.get(resource, "native", {}).x'],
  ])('keeps native for a rule that reads %s', async (_what, body) => {
    const fields = await unread(await treeWith(body));
    expect(fields).not.toContain('native');
    expect(fields).toContain('tags');
  });

  it.each([
    ['every field, through walk', 'walk(resource, [p, v])\n\tv == "Off"'],
    ['the whole resource, marshalled', 'contains(json.marshal(resource), "Off")'],
    ['its keys', 'count(object.keys(resource)) > 3'],
    ['what a filter keeps', 'object.filter(resource, ["tags"]) != {}'],
  ])('leaves nothing out for a rule that reads %s', async (_what, body) => {
    expect(await unread(await treeWith(body))).toEqual([]);
  });

  it('leaves out what only comments, tests and longer names name', async () => {
    const sources = await treeWith(
      'resource.nativeType == "AWS::S3::Bucket"\n\tresource.properties.account_tags == "x"',
      'input.resource.native.x == 1\n\tinput.resource.tags.a == "b"',
    );
    expect(await unread(sources)).toEqual(
      RESOURCE_FIELDS.filter((field) => !['nativeType', 'properties'].includes(field)),
    );
  });

  it("is written into the built bundle's manifest, as the engine reads it", async () => {
    const sources = existingSources(path.join(workspaceRoot, 'policies'), BUNDLE_SOURCES);
    const manifest = JSON.parse(
      await readFile(path.join(workspaceRoot, 'dist', 'policies', 'manifest.json'), 'utf8'),
    ) as { unreadFields?: unknown };
    expect(manifest.unreadFields).toEqual(await unread(sources));
    expect(manifest.unreadFields).toContain('native');
  });
});
