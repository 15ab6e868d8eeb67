import type { Kind } from '@drift-detective/resource-model';
import { cloudTrailTrail } from './cloudtrail-trail.js';
import { ec2Instance } from './ec2-instance.js';
import { ec2SecurityGroup } from './ec2-security-group.js';
import { iamPolicy } from './iam-policy.js';
import { iamRole } from './iam-role.js';
import { iamUser } from './iam-user.js';
import { kmsKey } from './kms-key.js';
import { lambdaFunction } from './lambda-function.js';
import { rdsDbInstance } from './rds-db-instance.js';
import { s3Bucket } from './s3-bucket.js';
import type { AnyTypeNormalizer } from './types.js';

/** The normalizer of each supported AWS Config resource type. */
export const NORMALIZERS: Readonly<Record<string, AnyTypeNormalizer>> = {
  'AWS::S3::Bucket': s3Bucket,
  'AWS::EC2::SecurityGroup': ec2SecurityGroup,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::Role': iamRole,
  'AWS::IAM::User': iamUser,
  'AWS::RDS::DBInstance': rdsDbInstance,
  'AWS::EC2::Instance': ec2Instance,
  'AWS::KMS::Key': kmsKey,
  'AWS::CloudTrail::Trail': cloudTrailTrail,
  'AWS::Lambda::Function': lambdaFunction,
};

/** Supported native type → kind. Every other type becomes kind "other" (native only). */
export const SUPPORTED_TYPES: Readonly<Record<string, Kind>> = Object.freeze(
  Object.fromEntries(Object.entries(NORMALIZERS).map(([type, n]) => [type, n.kind])),
);

export function normalizerOf(resourceType: string): AnyTypeNormalizer | undefined {
  return Object.hasOwn(NORMALIZERS, resourceType) ? NORMALIZERS[resourceType] : undefined;
}
