import type { PublicAccessBlock } from '@drift-detective/resource-model';
import { booleanOr, isRecord, own } from './values.js';

/**
 * The four Block Public Access settings. Config writes them in lower camel case
 * (AWS Config resource schema, AWS::S3::Bucket / AWS::S3::AccountPublicAccessBlock);
 * the S3 API spells them BlockPublicAcls…
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html).
 * A setting that is not a boolean is unknown (null). null when the value is no map.
 */
export function readPublicAccessBlock(value: unknown): PublicAccessBlock | null {
  if (!isRecord(value)) return null;
  const flag = (camel: string, pascal: string) =>
    booleanOr(own(value, camel) ?? own(value, pascal));
  return {
    blockPublicAcls: flag('blockPublicAcls', 'BlockPublicAcls'),
    ignorePublicAcls: flag('ignorePublicAcls', 'IgnorePublicAcls'),
    blockPublicPolicy: flag('blockPublicPolicy', 'BlockPublicPolicy'),
    restrictPublicBuckets: flag('restrictPublicBuckets', 'RestrictPublicBuckets'),
  };
}

/** Nothing blocked: what a bucket without PublicAccessBlockConfiguration has. */
export const NOTHING_BLOCKED: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** Context key under which an account's AWS::S3::AccountPublicAccessBlock settings are kept. */
export function accountPublicAccessBlockKey(account: string): string {
  return `aws:s3:accountPublicAccessBlock:${account}`;
}
