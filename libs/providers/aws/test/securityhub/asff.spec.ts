import { findingId, type FindingRecord, type Observation } from '@drift-detective/findings';
import { builtPolicyEngine } from '@drift-detective/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asffId,
  fitFinding,
  FindingTooLargeError,
  MAX_FINDING_BYTES,
  toAsff,
} from '../../src/securityhub/index.js';
import { jsonBytes } from '../../src/securityhub/asff-limits.js';
import { newFinding, observationOf, resolvedFinding, suppressedFinding } from './records.js';

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T09:30:00.000Z';
const NOW = '2026-11-03T10:00:00.000Z';
const HOME = 'eu-west-1';
const options = { now: NOW, homeRegion: HOME };

let sshOpen: Observation;
let roleAdmin: Observation;

beforeAll(async () => {
  sshOpen = await observationOf('dd-net-001-violating-ssh-open.json');
  roleAdmin = await observationOf('dd-iam-001-violating-role-inline-admin.json');
});

function resource(finding: ReturnType<typeof toAsff>) {
  const [first, ...rest] = finding.Resources ?? [];
  expect(rest).toEqual([]);
  return first!;
}

describe('toAsff: an ACTIVE finding record', () => {
  it('carries identity, product, generator and account', () => {
    const record = newFinding(sshOpen, T0);
    const asff = toAsff(record, options);
    expect(asff.SchemaVersion).toBe('2018-10-08');
    expect(asff.Id).toBe(`drift-detective/${findingId(sshOpen)}`);
    expect(asff.Id).toBe(asffId(record.id));
    expect(asff.ProductArn).toBe(
      'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
    );
    expect(asff.GeneratorId).toBe('DD-NET-001');
    expect(asff.AwsAccountId).toBe('123456789012');
  });

  it('takes severity from the rule metadata, also as the provider field', async () => {
    const engine = await builtPolicyEngine();
    const asff = toAsff(newFinding(sshOpen, T0), options);
    const ruleSeverity = engine.rules.get('DD-NET-001')?.severity;
    expect(ruleSeverity).toBe('HIGH');
    expect(asff.Severity).toEqual({ Label: ruleSeverity });
    expect(asff.FindingProviderFields?.Severity).toEqual({
      Label: ruleSeverity,
      Original: ruleSeverity,
    });
  });

  it('classifies by the ASFF taxonomy from the frameworks', () => {
    const asff = toAsff(newFinding(sshOpen, T0), options);
    expect(asff.Types).toEqual([
      'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      'Software and Configuration Checks/Industry and Regulatory Standards/NIST 800-53 Controls (USA)',
    ]);
    expect(asff.FindingProviderFields?.Types).toEqual(asff.Types);
    const plain = toAsff(newFinding({ ...sshOpen, frameworks: {} }, T0), options);
    expect(plain.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices']);
  });

  it('writes title, description and remediation from the rule', () => {
    const asff = toAsff(newFinding(sshOpen, T0), options);
    expect(asff.Title).toBe(`DD-NET-001 ${sshOpen.title}`);
    expect(asff.Description).toBe(sshOpen.message);
    expect(asff.Remediation).toEqual({ Recommendation: { Text: sshOpen.remediation } });
  });

  it('fails compliance with the AWS requirements of the rule only', () => {
    const asff = toAsff(newFinding(sshOpen, T0), options);
    expect(asff.Compliance?.Status).toBe('FAILED');
    const requirements = asff.Compliance?.RelatedRequirements ?? [];
    expect(requirements).toContain('CIS AWS Foundations Benchmark v3.0.0/5.2');
    expect(requirements).toContain('NIST 800-53 Rev. 5/SC-7');
    // DD-NET-001 also maps to the Azure and GCP benchmarks: not AWS requirements.
    expect(Object.keys(sshOpen.frameworks)).toContain('cis-azure-3.0');
    expect(requirements.filter((r) => /azure|gcp/i.test(r))).toEqual([]);
    expect(requirements).toHaveLength(
      (sshOpen.frameworks['cis-aws-3.0']?.length ?? 0) +
        (sshOpen.frameworks['nist-800-53']?.length ?? 0),
    );
  });

  it('describes the resource: ASFF type, ARN, partition, region, name and tags', () => {
    expect(sshOpen.resourceName).toBe('bastion-ssh');
    const asff = toAsff(
      newFinding({ ...sshOpen, tags: { team: 'net', env: 'prod' } }, T0),
      options,
    );
    expect(resource(asff)).toEqual({
      Type: 'AwsEc2SecurityGroup',
      Id: sshOpen.resourceId,
      Partition: 'aws',
      Region: 'us-east-1',
      Tags: { env: 'prod', team: 'net' },
      Details: { AwsEc2SecurityGroup: { GroupName: sshOpen.resourceName } },
    });
  });

  it('keeps first and last seen, and stamps the update time', () => {
    const first = newFinding(sshOpen, T0);
    const again = newFinding(sshOpen, T1);
    const record: FindingRecord = { ...again, firstSeen: first.firstSeen };
    const asff = toAsff(record, options);
    expect(asff.CreatedAt).toBe(T0);
    expect(asff.FirstObservedAt).toBe(T0);
    expect(asff.LastObservedAt).toBe(T1);
    expect(asff.UpdatedAt).toBe(NOW);
  });

  it('is active, new, and names the finding and rule in ProductFields', () => {
    const record = newFinding(sshOpen, T0);
    const asff = toAsff(record, options);
    expect(asff.RecordState).toBe('ACTIVE');
    expect(asff.Workflow).toEqual({ Status: 'NEW' });
    expect(asff.ProductFields).toEqual({
      'drift-detective/FindingId': record.id,
      'drift-detective/RuleId': 'DD-NET-001',
    });
  });
});

describe('toAsff: the causing change', () => {
  it('shows when, how, which fields before → after, and the CloudTrail event ids', () => {
    const record = {
      ...newFinding(sshOpen, T0),
      change: {
        changedAt: T0,
        changeType: 'update',
        fields: [
          { path: 'configuration.ipPermissions', before: [], after: [{ fromPort: 22 }] },
          { path: 'tags.owner', before: 'ops', after: null },
        ],
        relatedEvents: [
          '6f1c7c1e-44b4-4d1d-9a9e-2d0d3b3c1a11',
          '0b8a7e9d-1111-4c4c-8888-2a2a2a2a2a2a',
        ],
      },
    };
    expect(toAsff(record, options).ProductFields).toMatchObject({
      'drift-detective/ChangedAt': T0,
      'drift-detective/ChangeType': 'update',
      'drift-detective/ChangedFields':
        'configuration.ipPermissions: [] → [{"fromPort":22}]; tags.owner: "ops" → null',
      'drift-detective/CloudTrailEventIds':
        '6f1c7c1e-44b4-4d1d-9a9e-2d0d3b3c1a11,0b8a7e9d-1111-4c4c-8888-2a2a2a2a2a2a',
    });
    expect(toAsff(record, options).ProductFields).not.toHaveProperty('drift-detective/ChangedBy');
  });
});

describe('toAsff: status', () => {
  it('archives a RESOLVED finding as PASSED, keeping its creation time and saying why', () => {
    const active = newFinding(sshOpen, T0);
    const asff = toAsff(resolvedFinding(active, T1), options);
    expect(asff.Id).toBe(toAsff(active, options).Id);
    expect(asff.Compliance?.Status).toBe('PASSED');
    expect(asff.RecordState).toBe('ARCHIVED');
    expect(asff.Workflow).toEqual({ Status: 'RESOLVED' });
    expect(asff.CreatedAt).toBe(T0);
    expect(asff.ProductFields?.['drift-detective/Resolution']).toBe('compliant');
  });

  it('keeps a SUPPRESSED finding active and failed, with a SUPPRESSED workflow', () => {
    const asff = toAsff(suppressedFinding(sshOpen, T0), options);
    expect(asff.Compliance?.Status).toBe('FAILED');
    expect(asff.RecordState).toBe('ACTIVE');
    expect(asff.Workflow).toEqual({ Status: 'SUPPRESSED' });
  });
});

describe('toAsff: regions and partitions', () => {
  it('files a global resource (IAM) under the home region', () => {
    const asff = toAsff(newFinding(roleAdmin, T0), options);
    expect(roleAdmin.region === null || roleAdmin.region === 'global').toBe(true);
    expect(resource(asff)).toMatchObject({
      Type: 'AwsIamRole',
      Region: HOME,
      Partition: 'aws',
      Details: { AwsIamRole: { RoleName: roleAdmin.resourceName } },
    });
    expect(asff.ProductArn).toBe(
      `arn:aws:securityhub:${HOME}:123456789012:product/123456789012/default`,
    );
  });

  it('takes the partition from a GovCloud ARN', () => {
    const gov = {
      ...sshOpen,
      resourceId: 'arn:aws-us-gov:ec2:us-gov-west-1:123456789012:security-group/sg-1',
      region: 'us-gov-west-1',
    };
    const asff = toAsff(newFinding(gov, T0), options);
    expect(resource(asff).Partition).toBe('aws-us-gov');
    expect(asff.ProductArn).toBe(
      'arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:product/123456789012/default',
    );
  });

  it('takes the partition from a China ARN, for a global resource too', () => {
    const cn = { ...roleAdmin, resourceId: 'arn:aws-cn:iam::123456789012:role/app' };
    const asff = toAsff(newFinding(cn, T0), { now: NOW, homeRegion: 'cn-north-1' });
    expect(resource(asff)).toMatchObject({ Partition: 'aws-cn', Region: 'cn-north-1' });
    expect(asff.ProductArn).toBe(
      'arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default',
    );
  });

  it('falls back to the region for an id that is no ARN', () => {
    const plain = { ...sshOpen, resourceId: 'sg-0123', region: 'cn-northwest-1' };
    expect(resource(toAsff(newFinding(plain, T0), options)).Partition).toBe('aws-cn');
  });
});

describe('toAsff: resource types', () => {
  it.each([
    ['dd-net-001-violating-ssh-open.json', 'AwsEc2SecurityGroup'],
    ['dd-iam-001-violating-policy-admin.json', 'AwsIamPolicy'],
    ['dd-iam-001-violating-role-inline-admin.json', 'AwsIamRole'],
    ['dd-storage-001-violating-bucket-block-off.json', 'AwsS3Bucket'],
    ['dd-db-001-violating-rds-public.json', 'AwsRdsDbInstance'],
    ['dd-compute-001-violating-imds-optional.json', 'AwsEc2Instance'],
    ['dd-kms-001-violating-rotation-off.json', 'AwsKmsKey'],
    ['dd-log-001-violating-single-region-trail.json', 'AwsCloudTrailTrail'],
    ['dd-iam-002-violating-lambda-public.json', 'AwsLambdaFunction'],
  ])('%s → %s', async (fixture, type) => {
    const asff = toAsff(newFinding(await observationOf(fixture), T0), options);
    expect(resource(asff).Type).toBe(type);
  });

  it('uses Other, with the name and Config type, for a type ASFF has no object for', () => {
    const other = { ...sshOpen, resourceType: 'AWS::SNS::Topic', resourceName: 'alerts' };
    expect(resource(toAsff(newFinding(other, T0), options))).toMatchObject({
      Type: 'Other',
      Details: { Other: { Name: 'alerts', ConfigType: 'AWS::SNS::Topic' } },
    });
  });
});

describe('toAsff: field limits', () => {
  it('cuts title, description and remediation to their maximum lengths', () => {
    const long = {
      ...sshOpen,
      title: 't'.repeat(400),
      message: 'm'.repeat(3000),
      remediation: 'r'.repeat(900),
    };
    const asff = toAsff(newFinding(long, T0), options);
    expect(asff.Title).toHaveLength(256);
    expect(asff.Title?.endsWith('…')).toBe(true);
    expect(asff.Description).toHaveLength(1024);
    expect(asff.Remediation?.Recommendation?.Text).toHaveLength(512);
  });

  it('never cuts a character in half', () => {
    const emoji = { ...sshOpen, title: '🔥'.repeat(300) };
    const title = toAsff(newFinding(emoji, T0), options).Title ?? '';
    expect(Array.from(title)).toHaveLength(256);
    expect(title).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('fills a blank description from the title and leaves out a blank remediation', () => {
    const blank = { ...sshOpen, message: '  ', remediation: '' };
    const asff = toAsff(newFinding(blank, T0), options);
    expect(asff.Description).toBe(sshOpen.title);
    expect(asff.Remediation).toBeUndefined();
  });

  it('keeps at most 32 related requirements', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `1.${i}`);
    const many = { ...sshOpen, frameworks: { 'cis-aws-3.0': ids } };
    const requirements = toAsff(newFinding(many, T0), options).Compliance?.RelatedRequirements;
    expect(requirements).toHaveLength(32);
    expect(requirements?.[0]).toBe('CIS AWS Foundations Benchmark v3.0.0/1.0');
  });

  it('keeps tags within the AWS tag limits', () => {
    const tags: Record<string, string> = { ['k'.repeat(129)]: 'long key', big: 'v'.repeat(257) };
    for (let i = 0; i < 60; i++) tags[`tag${String(i).padStart(2, '0')}`] = String(i);
    const kept = resource(toAsff(newFinding({ ...sshOpen, tags }, T0), options)).Tags ?? {};
    expect(Object.keys(kept)).toHaveLength(50);
    expect(kept['big']).toBeUndefined();
    expect(Object.keys(kept).every((k) => k.length <= 128)).toBe(true);
  });
});

describe('toAsff: finding size', () => {
  // Requirement ids of 10 KB each: 32 of them are far over the 240 KB limit.
  const huge = () => ({
    ...sshOpen,
    frameworks: { 'cis-aws-3.0': Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(10_000, 'x')) },
    tags: { team: 'net' },
  });

  it('stays under 240 KB by dropping optional parts, keeping what identifies the finding', () => {
    const asff = toAsff(newFinding(huge(), T0), options);
    expect(jsonBytes(asff)).toBeLessThanOrEqual(MAX_FINDING_BYTES);
    expect(asff.Compliance).toEqual({ Status: 'FAILED' });
    expect(asff.Id).toBe(`drift-detective/${findingId(sshOpen)}`);
    expect(asff.Severity?.Label).toBe('HIGH');
    expect(resource(asff).Type).toBe('AwsEc2SecurityGroup');
  });

  it('drops resource details first, then tags', () => {
    const full = toAsff(newFinding({ ...sshOpen, tags: { team: 'net' } }, T0), options);
    const { Details: _d, ...withoutDetails } = resource(full);
    const noDetails = fitFinding(full, jsonBytes({ ...full, Resources: [withoutDetails] }));
    expect(resource(noDetails).Details).toBeUndefined();
    expect(resource(noDetails).Tags).toEqual({ team: 'net' });
    expect(noDetails.Compliance?.RelatedRequirements).toEqual(full.Compliance?.RelatedRequirements);
    const { Tags: _t, ...bare } = withoutDetails;
    const noTags = fitFinding(full, jsonBytes({ ...full, Resources: [bare] }));
    expect(resource(noTags).Tags).toBeUndefined();
    expect(noTags.Remediation).toEqual(full.Remediation);
  });

  it('leaves a finding that fits as it is', () => {
    const asff = toAsff(newFinding(sshOpen, T0), options);
    expect(fitFinding(asff)).toBe(asff);
  });

  it('refuses a finding whose required fields alone are over the limit', () => {
    const giant = { ...sshOpen, resourceId: `arn:aws:s3:::${'b'.repeat(MAX_FINDING_BYTES)}` };
    expect(() => toAsff(newFinding(giant, T0), options)).toThrow(FindingTooLargeError);
  });
});
