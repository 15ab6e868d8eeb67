import { describe, expect, it, beforeAll } from 'vitest';
import { PolicyEngine } from './engine.js';
import { InvalidInputError } from './errors.js';
import {
  builtBundleDir,
  copyOfBuiltBundle,
  editManifest,
  NOTHING_BLOCKED,
  s3Bucket,
} from '../test/bundle-dir.js';

describe('PolicyEngine on the built bundle', () => {
  let engine: PolicyEngine;
  beforeAll(async () => {
    engine = await PolicyEngine.load(builtBundleDir);
  });

  it('reports the four public-access messages for a public bucket, as one finding', () => {
    const violations = engine.evaluate(s3Bucket('hotfix', { publicAccessBlock: NOTHING_BLOCKED }));
    expect(violations.map((v) => v.ruleId)).toEqual(['DD-STORAGE-001']);
    const [violation] = violations;
    expect(violation?.severity).toBe('HIGH');
    expect(violation?.title).toBe('Storage public-access guardrail is off');
    expect(violation?.frameworks['cis-aws-3.0']).toEqual(['2.1.4']);
    expect(violation?.remediation).toMatch(/Block Public Access/);
    expect(violation?.details['causes']).toEqual([
      "S3 bucket 'hotfix' allows public ACLs. BlockPublicAcls must be true.",
      "S3 bucket 'hotfix' does not ignore public ACLs. IgnorePublicAcls must be true.",
      "S3 bucket 'hotfix' allows public policies. BlockPublicPolicy must be true.",
      "S3 bucket 'hotfix' does not restrict public buckets. RestrictPublicBuckets must be true.",
    ]);
  });

  it('finds nothing on a compliant, AES256-encrypted bucket', () => {
    expect(engine.evaluate(s3Bucket('locked'))).toEqual([]);
  });

  it('flags a bucket without default encryption, sorted after the guardrail rule', () => {
    const violations = engine.evaluate(
      s3Bucket('plain', {
        publicAccessBlock: NOTHING_BLOCKED,
        encryption: { atRest: false, algorithm: null, keyId: null },
      }),
    );
    expect(violations.map((v) => [v.ruleId, v.severity])).toEqual([
      ['DD-STORAGE-001', 'HIGH'],
      ['DD-STORAGE-003', 'MEDIUM'],
    ]);
  });

  it('uses the default remediation for a provider the rule has no text for', () => {
    // DD-NET-002 writes only a default remediation.
    const sg = {
      provider: 'aws',
      kind: 'network.firewall',
      nativeType: 'AWS::EC2::SecurityGroup',
      id: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1',
      name: 'open',
      properties: {
        network: null,
        rules: [
          {
            name: 'all',
            direction: 'ingress',
            action: 'allow',
            priority: null,
            protocol: 'all',
            ports: null,
            peers: ['0.0.0.0/0'],
            enabled: true,
            isDefault: false,
          },
        ],
      },
    };
    const byRule = new Map(engine.evaluate(sg).map((v) => [v.ruleId, v]));
    expect(byRule.get('DD-NET-002')?.remediation).toMatch(
      /^Replace the rule with rules that open only/,
    );
    expect(byRule.get('DD-NET-001')?.remediation).toMatch(/SSM Session Manager/);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a resource without id', { provider: 'aws', kind: 'storage.bucket' }],
    ['a resource with an empty kind', { provider: 'aws', kind: '', id: 'x' }],
  ])('rejects %s as invalid input instead of finding nothing', (_label, input) => {
    expect(() => engine.evaluate(input as never)).toThrow(InvalidInputError);
  });

  it('evaluateMany keeps going past a bad resource and reports it as an error', () => {
    const outcomes = engine.evaluateMany([
      s3Bucket('a', { publicAccessBlock: NOTHING_BLOCKED }),
      { provider: 'aws', kind: 'storage.bucket' } as never,
      s3Bucket('b'),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed?.ok === false && failed.error).toBeInstanceOf(InvalidInputError);
    expect(outcomes[0]?.ok && outcomes[0].violations).toHaveLength(1);
  });

  it('evaluateMany judges each resource as evaluate does, across calls and in order', () => {
    // 150 resources: more than one call's worth, public and locked buckets interleaved,
    // kinds no rule lists, and one input larger than a call's byte budget on its own.
    const resources = Array.from({ length: 150 }, (_, i) => {
      if (i % 7 === 3) return { provider: 'aws', kind: 'queue.unknown', id: `q${i}` };
      const bucket = s3Bucket(`b${i}`, i % 2 === 0 ? { publicAccessBlock: NOTHING_BLOCKED } : {});
      return i === 100
        ? { ...bucket, properties: { ...bucket.properties, padding: 'x'.repeat(300_000) } }
        : bucket;
    });
    const outcomes = engine.evaluateMany(resources);
    expect(outcomes.map((o) => o.resource)).toEqual(resources);
    for (const [i, outcome] of outcomes.entries()) {
      expect(outcome.ok && outcome.violations, `resource ${i}`).toEqual(
        engine.evaluate(resources[i] as never),
      );
    }
    expect(outcomes.filter((o) => o.ok && o.violations.length > 0).length).toBeGreaterThan(50);
  });

  it('fails only the resource JSON cannot hold, whether judged alone or in a batch', () => {
    const odd = { ...s3Bucket('odd'), properties: { size: 1n } };
    expect(() => engine.evaluate(odd as never)).toThrow(InvalidInputError);
    const outcomes = engine.evaluateMany([s3Bucket('a'), odd as never, s3Bucket('b')]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1];
    expect(failed?.ok === false && failed.error.message).toMatch(/odd.*is not JSON/);
  });

  it('leaves the fields no rule names out of the input: the verdict is the same without them', () => {
    expect(engine.readsField('native')).toBe(false);
    expect(engine.readsField('properties')).toBe(true);
    const bucket = s3Bucket('tagged', { publicAccessBlock: NOTHING_BLOCKED });
    const decorated = { ...bucket, tags: { env: 'prod' }, native: { Name: 'tagged' } };
    expect(engine.evaluate(decorated)).toEqual(engine.evaluateEveryRule(decorated));
  });

  it('gives the policy only the fields the manifest does not list as unread; the reference gets all', async () => {
    // A manifest that (wrongly) calls `properties` unread: the rules then see no properties.
    const dir = await copyOfBuiltBundle();
    await editManifest(dir, (m) => (m['unreadFields'] = ['properties']));
    const blind = await PolicyEngine.load(dir);
    const bucket = s3Bucket('blind', { publicAccessBlock: NOTHING_BLOCKED });
    expect(blind.readsField('properties')).toBe(false);
    expect(blind.evaluate(bucket)).toEqual([]);
    expect(blind.evaluateMany([bucket, bucket]).map((o) => o.ok && o.violations)).toEqual([[], []]);
    expect(blind.evaluateEveryRule(bucket).map((v) => v.ruleId)).toEqual(['DD-STORAGE-001']);
  });

  it('is reusable: many evaluations give the same answer as the first', () => {
    const bucket = s3Bucket('again', { publicAccessBlock: NOTHING_BLOCKED });
    const first = engine.evaluate(bucket);
    for (let i = 0; i < 200; i++) engine.evaluate(s3Bucket(`b${i}`));
    expect(engine.evaluate(bucket)).toEqual(first);
  });

  it('exposes the rules of the manifest', () => {
    expect(engine.rules.get('DD-STORAGE-001')?.severity).toBe('HIGH');
    expect([...engine.rules.keys()].every((id) => /^DD-[A-Z]+-\d{3}$/.test(id))).toBe(true);
  });
});
