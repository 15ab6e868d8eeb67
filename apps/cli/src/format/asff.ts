import type { ScanFinding } from '../scan/finding.js';
import type { ScanResult } from '../scan/scan.js';

/**
 * AWS Security Finding Format, as BatchImportFindings takes it
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html).
 * Only AWS resources can be Security Hub findings; others are left out.
 */
const RESOURCE_TYPES: Record<string, string> = {
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::EC2::SecurityGroup': 'AwsEc2SecurityGroup',
  'AWS::IAM::Policy': 'AwsIamPolicy',
  'AWS::IAM::Role': 'AwsIamRole',
  'AWS::IAM::User': 'AwsIamUser',
  'AWS::RDS::DBInstance': 'AwsRdsDbInstance',
  'AWS::EC2::Instance': 'AwsEc2Instance',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::Lambda::Function': 'AwsLambdaFunction',
};

const FRAMEWORK_NAMES: Record<string, string> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark v3.0.0',
  'cis-aws-1.4': 'CIS AWS Foundations Benchmark v1.4.0',
  'nist-800-53': 'NIST 800-53 Rev. 5',
};

/** ARNs name their partition: arn:aws:…, arn:aws-cn:…, arn:aws-us-gov:… */
function partitionOf(resourceId: string): string {
  const match = /^arn:([^:]+):/.exec(resourceId);
  return match?.[1] ?? 'aws';
}

export function toAsff(finding: ScanFinding, now: string, defaultRegion: string) {
  const region = finding.region && finding.region !== 'global' ? finding.region : defaultRegion;
  const partition = partitionOf(finding.resourceId);
  const requirements = Object.entries(finding.frameworks)
    .filter(([framework]) => framework.startsWith('cis-aws') || framework === 'nist-800-53')
    .flatMap(([framework, ids]) =>
      ids.map((id) => `${FRAMEWORK_NAMES[framework] ?? framework}/${id}`),
    )
    .slice(0, 32);
  const cis = Object.keys(finding.frameworks).some((f) => f.startsWith('cis-aws'));
  return {
    SchemaVersion: '2018-10-08',
    Id: `drift-detective/${finding.id}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${finding.account}:product/${finding.account}/default`,
    GeneratorId: finding.ruleId,
    AwsAccountId: finding.account,
    Types: [
      cis
        ? 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'
        : 'Software and Configuration Checks/AWS Security Best Practices',
    ],
    CreatedAt: finding.observedAt,
    UpdatedAt: now,
    Severity: { Label: finding.severity },
    Title: `${finding.ruleId} ${finding.title}`.slice(0, 256),
    Description: finding.message.slice(0, 1024),
    Remediation: { Recommendation: { Text: finding.remediation.slice(0, 512) } },
    Resources: [
      {
        Type: RESOURCE_TYPES[finding.resourceType] ?? 'Other',
        Id: finding.resourceId,
        Partition: partition,
        Region: region,
      },
    ],
    Compliance: {
      Status: 'FAILED',
      ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}),
    },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    ProductFields: {
      'drift-detective/FindingId': finding.id,
      'drift-detective/RuleId': finding.ruleId,
    },
  };
}

/** A JSON array ready for `aws securityhub batch-import-findings --findings file://…` (in batches of 100). */
export function formatAsff(result: ScanResult, now: string, defaultRegion: string): string {
  const findings = result.findings
    .filter((f) => f.provider === 'aws')
    .map((f) => toAsff(f, now, defaultRegion));
  return `${JSON.stringify(findings, null, 2)}\n`;
}
