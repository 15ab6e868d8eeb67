import { parseArn, type Arn } from '../decode/arn.js';
import { has, own, type JsonObject } from '../decode/values.js';

/** Fields of a configuration that hold the resource's own ARN, by type. */
const CONFIGURATION_ARN_FIELDS = ['arn', 'functionArn', 'dBInstanceArn', 'trailARN'] as const;

/** Supplementary keys only S3 bucket items carry (AWS Config resource schema for AWS::S3::Bucket). */
const S3_BUCKET_KEYS = ['AccessControlList', 'BucketPolicy', 'BucketVersioningConfiguration'];

/**
 * The resource type of an item that does not state it. SelectResourceConfig
 * rows hold only the selected fields (often just configuration and
 * supplementaryConfiguration), so the type is told from the resource's own ARN
 * when the configuration carries one, or from fields only one type has. Returns
 * null when nothing tells it.
 * https://docs.aws.amazon.com/config/latest/APIReference/API_SelectResourceConfig.html
 */
export function inferResourceType(
  item: JsonObject,
  configuration: JsonObject | null,
  supplementary: JsonObject | null,
): string | null {
  const arns = [own(item, 'ARN'), own(item, 'arn')];
  if (configuration) arns.push(...CONFIGURATION_ARN_FIELDS.map((key) => own(configuration, key)));
  for (const value of arns) {
    const arn = parseArn(value);
    const type = arn ? typeOfArn(arn) : null;
    if (type) return type;
  }
  if (configuration && supplementary && typeof own(configuration, 'name') === 'string') {
    if (S3_BUCKET_KEYS.some((key) => has(supplementary, key))) return 'AWS::S3::Bucket';
  }
  const groupId = configuration ? own(configuration, 'groupId') : undefined;
  if (
    configuration &&
    typeof groupId === 'string' &&
    groupId.startsWith('sg-') &&
    Array.isArray(own(configuration, 'ipPermissions'))
  ) {
    return 'AWS::EC2::SecurityGroup';
  }
  return null;
}

/**
 * Resource types by ARN format (service authorization reference, "Resource types defined by …"):
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export function typeOfArn(arn: Arn): string | null {
  const { service, resource } = arn;
  switch (service) {
    case 's3':
      return arn.region === '' && arn.account === '' && !resource.includes('/')
        ? 'AWS::S3::Bucket'
        : null;
    case 'ec2':
      if (resource.startsWith('security-group/')) return 'AWS::EC2::SecurityGroup';
      if (resource.startsWith('instance/')) return 'AWS::EC2::Instance';
      return null;
    case 'iam':
      if (resource.startsWith('role/')) return 'AWS::IAM::Role';
      if (resource.startsWith('user/')) return 'AWS::IAM::User';
      if (resource.startsWith('policy/')) return 'AWS::IAM::Policy';
      return null;
    case 'kms':
      return resource.startsWith('key/') ? 'AWS::KMS::Key' : null;
    case 'lambda':
      return resource.startsWith('function:') ? 'AWS::Lambda::Function' : null;
    case 'rds':
      return resource.startsWith('db:') ? 'AWS::RDS::DBInstance' : null;
    case 'cloudtrail':
      return resource.startsWith('trail/') ? 'AWS::CloudTrail::Trail' : null;
    default:
      return null;
  }
}
