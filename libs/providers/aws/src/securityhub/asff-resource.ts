import type { Partition, Resource, ResourceDetails } from '@aws-sdk/client-securityhub';
import { parseArn, partitionOf } from '../decode/arn.js';
import { LIMITS, TAG_LIMITS, truncate } from './asff-limits.js';

/** What the Resources entry of a finding is made from. */
export interface AsffResourceSource {
  readonly region: string | null;
  readonly resourceId: string;
  readonly resourceName: string;
  /** The native AWS Config type, e.g. AWS::S3::Bucket. */
  readonly resourceType: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * AWS Config types → ASFF resource types
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-resources.html);
 * anything else is "Other", as Resource.Type asks
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Resource.html).
 */
export const ASFF_RESOURCE_TYPES: Readonly<Record<string, string>> = {
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

export function asffResourceType(nativeType: string): string {
  return ASFF_RESOURCE_TYPES[nativeType] ?? 'Other';
}

/**
 * The region a finding is sent to and filed under. Global resources (IAM) have
 * none of their own (null or "global"), so they go to the publisher's home
 * region: Resource.Region must be a real region code
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Resource.html).
 */
export function hubRegion(region: string | null, homeRegion: string): string {
  return region && region !== 'global' ? region : homeRegion;
}

/**
 * The partition: the resource ARN names it (arn:aws-us-gov:…, arn:aws-cn:…);
 * for an id that is no ARN, the region tells it.
 */
export function partitionFor(resourceId: string, region: string): string {
  return parseArn(resourceId)?.partition ?? partitionOf(region) ?? 'aws';
}

/**
 * Resource.Partition takes only the values of its enum; others are left out.
 * Spelled out rather than read from the SDK's enum object, so that writing
 * ASFF (the CLI's `--format asff`) loads no SDK client; the `satisfies`
 * makes a new value of the enum a compile error here.
 */
const PARTITION_VALUES = {
  aws: true,
  'aws-cn': true,
  'aws-us-gov': true,
  'aws-us-iso': true,
  'aws-us-iso-b': true,
  AzureCloud: true,
} as const satisfies Record<Partition, true>;
const ASFF_PARTITIONS: ReadonlySet<string> = new Set(Object.keys(PARTITION_VALUES));

/** Tags within the AWS tag limits, at most 50 (the rest would make the import fail). */
function asffTags(tags: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const kept = Object.entries(tags)
    .filter(
      ([key, value]) =>
        key.length > 0 && key.length <= TAG_LIMITS.key && value.length <= TAG_LIMITS.value,
    )
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, TAG_LIMITS.count);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/**
 * Cheap details: the name the record already has, in the field each resource
 * type's details object names it
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ResourceDetails.html).
 * Nothing is looked up; full configurations stay out, so findings stay small.
 */
function asffDetails(type: string, source: AsffResourceSource): ResourceDetails | undefined {
  const name = truncate(source.resourceName, LIMITS.detailValue);
  if (name.trim() === '') return undefined;
  switch (type) {
    case 'AwsS3Bucket':
      return { AwsS3Bucket: { Name: name } };
    case 'AwsEc2SecurityGroup':
      return {
        AwsEc2SecurityGroup: name.startsWith('sg-') ? { GroupId: name } : { GroupName: name },
      };
    case 'AwsIamPolicy':
      return { AwsIamPolicy: { PolicyName: name } };
    case 'AwsIamRole':
      return { AwsIamRole: { RoleName: name } };
    case 'AwsIamUser':
      return { AwsIamUser: { UserName: name } };
    case 'AwsRdsDbInstance':
      return { AwsRdsDbInstance: { DBInstanceIdentifier: name } };
    case 'AwsKmsKey':
      return { AwsKmsKey: { KeyId: name } };
    case 'AwsCloudTrailTrail':
      return { AwsCloudTrailTrail: { Name: name } };
    case 'AwsLambdaFunction':
      return { AwsLambdaFunction: { FunctionName: name } };
    case 'Other':
      // Other is the one free-form map (values up to 1024 characters).
      return {
        Other: { Name: name, ConfigType: truncate(source.resourceType, LIMITS.detailValue) },
      };
    default:
      // AwsEc2InstanceDetails has no name field: no details rather than a wrong one.
      return undefined;
  }
}

/** Resources[0] of a finding. */
export function asffResource(source: AsffResourceSource, homeRegion: string): Resource {
  const type = asffResourceType(source.resourceType);
  const region = hubRegion(source.region, homeRegion);
  const partition = partitionFor(source.resourceId, region);
  const tags = asffTags(source.tags);
  const details = asffDetails(type, source);
  return {
    Type: type,
    Id: source.resourceId,
    ...(ASFF_PARTITIONS.has(partition) ? { Partition: partition as Partition } : {}),
    Region: region,
    ...(tags ? { Tags: tags } : {}),
    ...(details ? { Details: details } : {}),
  };
}
