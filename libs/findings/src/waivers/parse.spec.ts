import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseWaivers } from './parse.js';
import { WaiverFileError } from './waiver.js';

const FILE = 'policies/waivers.yaml';

/** The lines of the WaiverFileError that parsing `text` throws. */
function problems(text: string): string[] {
  try {
    parseWaivers(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(WaiverFileError);
    return (error as WaiverFileError).message.split('\n');
  }
  throw new Error('expected a WaiverFileError');
}

/** One entry whose fields can be replaced line by line (each value is the rest of its line). */
function entry(fields: Record<string, string | null> = {}): string {
  const lines: Record<string, string | null> = {
    rule: 'rule: DD-STORAGE-001',
    resource: 'resource:\n      id: "arn:aws:s3:::public-site-*"',
    reason: 'reason: Static website, public by design',
    owner: 'owner: web-team@example.com',
    expires: 'expires: 2027-01-31',
    ...fields,
  };
  const body = Object.values(lines).filter((l): l is string => l !== null);
  return `  - ${body.join('\n    ')}\n`;
}

describe('parseWaivers: valid files', () => {
  it('reads every field and the line where each entry starts', () => {
    const text = `waivers:
  - rule: DD-NET-*
    resource:
      id: "arn:aws:ec2:*:123456789012:security-group/sg-0a?"
      account: "123456789012"
      tags: { team: web, env: "prod" }
    reason: Bastion, restricted by NACL
    owner: net@example.com
    expires: 2027-01-31
${entry()}`;
    expect(parseWaivers(text, FILE)).toEqual([
      {
        rule: 'DD-NET-*',
        resource: {
          id: 'arn:aws:ec2:*:123456789012:security-group/sg-0a?',
          account: '123456789012',
          tags: { team: 'web', env: 'prod' },
        },
        reason: 'Bastion, restricted by NACL',
        owner: 'net@example.com',
        expires: '2027-01-31',
        line: 2,
      },
      {
        rule: 'DD-STORAGE-001',
        resource: { id: 'arn:aws:s3:::public-site-*' },
        reason: 'Static website, public by design',
        owner: 'web-team@example.com',
        expires: '2027-01-31',
        line: 10,
      },
    ]);
  });

  it('accepts an empty list', () => {
    expect(parseWaivers('waivers: []\n', FILE)).toEqual([]);
  });

  it('allows duplicate-looking entries', () => {
    expect(parseWaivers(`waivers:\n${entry()}${entry()}`, FILE)).toHaveLength(2);
  });

  it('accepts an unquoted numeric account, keeping the digits as written', () => {
    const text = (account: string) =>
      `waivers:\n${entry({ resource: `resource: { account: ${account} }` })}`;
    // The premise: YAML reads these as numbers, and the second one loses its leading zero.
    expect(parse('a: 012345678901')).toEqual({ a: 12345678901 });
    expect(parseWaivers(text('123456789012'), FILE)[0]?.resource).toEqual({
      account: '123456789012',
    });
    expect(parseWaivers(text('012345678901'), FILE)[0]?.resource).toEqual({
      account: '012345678901',
    });
  });

  it.each([
    ['a %YAML 1.1 file', `%YAML 1.1\n---\nwaivers:\n${entry()}`, 'waivers.0.expires'],
    [
      'a !!timestamp tag',
      `waivers:\n${entry({ expires: 'expires: !!timestamp 2027-01-31' })}`,
      'waivers.0.expires',
    ],
  ])('accepts an expiry that YAML turns into a Date (%s)', (_label, text) => {
    // The premise: the yaml library really does produce a Date here.
    const raw = parse(text) as { waivers: { expires: unknown }[] };
    expect(raw.waivers[0]?.expires).toBeInstanceOf(Date);
    expect(parseWaivers(text, FILE)[0]?.expires).toBe('2027-01-31');
  });

  it('follows aliases', () => {
    const text = `waivers:\n${entry({ owner: 'owner: &o web@example.com' })}${entry({ owner: 'owner: *o' })}`;
    expect(parseWaivers(text, FILE).map((w) => w.owner)).toEqual([
      'web@example.com',
      'web@example.com',
    ]);
  });
});

describe('parseWaivers: errors name the file, line, entry and field', () => {
  it('reports a missing expiry as in the format documentation', () => {
    const inline = { resource: 'resource: { id: "arn:aws:s3:::public-site-*" }' };
    const text = `waivers:\n${entry(inline)}${entry({ ...inline, expires: null })}`;
    expect(text.split('\n')[6]).toBe('  - rule: DD-STORAGE-001');
    expect(problems(text)).toEqual([
      'policies/waivers.yaml:7: waiver 2: expires is required (YYYY-MM-DD)',
    ]);
  });

  it('throws a WaiverFileError that carries the file and each problem', () => {
    try {
      parseWaivers(`waivers:\n${entry({ owner: null })}`, FILE);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WaiverFileError);
      const e = error as WaiverFileError;
      expect(e.name).toBe('WaiverFileError');
      expect(e.file).toBe(FILE);
      expect(e.problems).toEqual([{ line: 2, message: 'waiver 1: owner is required' }]);
    }
  });

  it('reports every problem of the file at once, in line order', () => {
    const text = `waivers:\n${entry({ reason: 'reason: ""' })}${entry({ rule: 'rule: DD STORAGE' })}${entry({ expires: 'expires: 2027-02-30' })}`;
    expect(problems(text)).toEqual([
      'policies/waivers.yaml:5: waiver 1: reason must be a non-empty string',
      'policies/waivers.yaml:8: waiver 2: rule "DD STORAGE" must be a rule id or glob (letters, digits, -, * and ?)',
      'policies/waivers.yaml:19: waiver 3: expires 2027-02-30 is not a calendar date',
    ]);
  });

  it('rejects a misspelt key instead of reading a waiver without expiry', () => {
    expect(problems(`waivers:\n${entry({ expires: 'expiry: 2027-01-31' })}`)).toEqual([
      'policies/waivers.yaml:2: waiver 1: expires is required (YYYY-MM-DD)',
      'policies/waivers.yaml:7: waiver 1: unknown key "expiry" (allowed: rule, resource, reason, owner, expires)',
    ]);
  });

  it.each([
    ['', 'policies/waivers.yaml: expected a mapping with a waivers list (waivers: [] for none)'],
    [
      '- rule: DD-NET-001\n',
      'policies/waivers.yaml:1: expected a mapping with a waivers list (waivers: [] for none)',
    ],
    ['other: 1\n', 'policies/waivers.yaml:1: unknown key "other" (allowed: waivers)'],
    ['waivers:\n', 'policies/waivers.yaml:1: waivers must be a list (waivers: [] for none)'],
    [
      'waivers: { rule: DD-NET-001 }\n',
      'policies/waivers.yaml:1: waivers must be a list (waivers: [] for none)',
    ],
    [
      'waivers:\n  - DD-NET-001\n',
      'policies/waivers.yaml:2: waiver 1: must be a mapping with rule, resource, reason, owner, expires',
    ],
  ])('checks the top level: %j', (text, message) => {
    expect(problems(text)).toContain(message);
  });

  it('reports a file without a waivers key', () => {
    expect(problems('# nothing yet\n{}\n')).toEqual([
      'policies/waivers.yaml:2: waivers is required (waivers: [] for none)',
    ]);
  });

  it.each<[string, Record<string, string | null>, string]>([
    [
      'missing rule',
      { rule: null },
      '2: waiver 1: rule is required (a rule id such as DD-STORAGE-001, or a glob such as DD-NET-*)',
    ],
    [
      'empty rule',
      { rule: 'rule: ""' },
      '2: waiver 1: rule must be a non-empty string (a rule id or glob)',
    ],
    [
      'numeric rule',
      { rule: 'rule: 42' },
      '2: waiver 1: rule must be a non-empty string (a rule id or glob)',
    ],
    [
      'rule with a dot',
      { rule: 'rule: DD.NET.001' },
      '2: waiver 1: rule "DD.NET.001" must be a rule id or glob (letters, digits, -, * and ?)',
    ],
    [
      'missing resource',
      { resource: null },
      '2: waiver 1: resource is required (with at least one of id, account, tags)',
    ],
    [
      'resource not a mapping',
      { resource: 'resource: arn:aws:s3:::b' },
      '3: waiver 1: resource must be a mapping with at least one of id, account, tags',
    ],
    [
      'resource without criteria',
      { resource: 'resource: {}' },
      '3: waiver 1: resource needs at least one of id, account, tags',
    ],
    [
      'unknown resource key',
      { resource: 'resource:\n      name: site' },
      '4: waiver 1: resource: unknown key "name" (allowed: id, account, tags)',
    ],
    [
      'numeric id',
      { resource: 'resource: { id: 42 }' },
      '3: waiver 1: resource.id must be a non-empty string (a glob on the resource id)',
    ],
    [
      'empty id',
      { resource: 'resource: { id: "" }' },
      '3: waiver 1: resource.id must be a non-empty string (a glob on the resource id)',
    ],
    [
      'boolean account',
      { resource: 'resource:\n      account: true' },
      '4: waiver 1: resource.account must be a non-empty string (an AWS account, Azure subscription or GCP project)',
    ],
    [
      'fractional account',
      { resource: 'resource: { account: 1.5 }' },
      '3: waiver 1: resource.account must be a non-empty string (an AWS account, Azure subscription or GCP project)',
    ],
    [
      'tags not a mapping',
      { resource: 'resource: { tags: [web] }' },
      '3: waiver 1: resource.tags must be a mapping of at least one tag name to its value',
    ],
    [
      'empty tags',
      { resource: 'resource: { tags: {} }' },
      '3: waiver 1: resource.tags must be a mapping of at least one tag name to its value',
    ],
    [
      'numeric tag value',
      { resource: 'resource:\n      tags:\n        team: web\n        cost: 42' },
      '6: waiver 1: resource.tags.cost must be a string (quote it)',
    ],
    [
      'numeric tag name',
      { resource: 'resource: { tags: { 1: web } }' },
      '3: waiver 1: resource.tags: a tag name must be a string (quote it)',
    ],
    ['missing reason', { reason: null }, '2: waiver 1: reason is required'],
    ['blank owner', { owner: 'owner: "  "' }, '6: waiver 1: owner must be a non-empty string'],
    ['null owner', { owner: 'owner:' }, '6: waiver 1: owner must be a non-empty string'],
    [
      'expiry with a time',
      { expires: 'expires: 2027-01-31T12:00:00Z' },
      '7: waiver 1: expires must be a date written YYYY-MM-DD',
    ],
    [
      'expiry without leading zeros',
      { expires: 'expires: 2027-1-31' },
      '7: waiver 1: expires must be a date written YYYY-MM-DD',
    ],
    [
      'numeric expiry',
      { expires: 'expires: 20270131' },
      '7: waiver 1: expires must be a date written YYYY-MM-DD',
    ],
    [
      'impossible date',
      { expires: 'expires: 2027-02-30' },
      '7: waiver 1: expires 2027-02-30 is not a calendar date',
    ],
    [
      'not a leap year',
      { expires: 'expires: "2027-02-29"' },
      '7: waiver 1: expires 2027-02-29 is not a calendar date',
    ],
  ])('%s', (_label, fields, message) => {
    expect(problems(`waivers:\n${entry(fields)}`)).toEqual([`policies/waivers.yaml:${message}`]);
  });

  it('accepts 29 February of a leap year', () => {
    const [w] = parseWaivers(`waivers:\n${entry({ expires: 'expires: 2028-02-29' })}`, FILE);
    expect(w?.expires).toBe('2028-02-29');
  });

  it('rejects an impossible date that YAML 1.1 would roll into March', () => {
    const text = `%YAML 1.1\n---\nwaivers:\n${entry({ expires: 'expires: 2027-02-30' })}`;
    expect(problems(text)).toEqual([
      'policies/waivers.yaml:9: waiver 1: expires 2027-02-30 is not a calendar date',
    ]);
  });

  it('reports invalid YAML with its line and stops there', () => {
    expect(problems(`waivers:\n${entry()}  - rule: [DD-NET-001\n`)).toEqual([
      expect.stringMatching(/^policies\/waivers\.yaml:\d+: invalid YAML: .+/),
    ]);
  });

  it('reports a second YAML document in its own words', () => {
    expect(problems('waivers: []\n---\nwaivers: []\n')).toEqual([
      'policies/waivers.yaml:2: invalid YAML: the file must hold one YAML document (remove the extra ---)',
    ]);
  });

  it('reports a duplicated key as invalid YAML', () => {
    expect(problems(`waivers:\n${entry({ reason: 'reason: a\n    reason: b' })}`)).toEqual([
      expect.stringMatching(/^policies\/waivers\.yaml:6: invalid YAML: Map keys must be unique/),
    ]);
  });
});
