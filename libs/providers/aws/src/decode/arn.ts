/**
 * Amazon Resource Names: arn:partition:service:region:account-id:resource.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon ("security-group/sg-1", "function:name", "bucket"). */
  readonly resource: string;
}

export function parseArn(value: unknown): Arn | null {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return null;
  const parts = value.split(':');
  if (parts.length < 6) return null;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!partition || !service || resource === '') return null;
  return { partition, service, region: region ?? '', account: account ?? '', resource };
}

/** A region code as Config writes it in awsRegion ("us-east-1", "us-gov-west-1", "cn-north-1"). */
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/**
 * The partition of a region: ARNs built for China and GovCloud resources use
 * "aws-cn" and "aws-us-gov", not "aws". null for anything that is no region code
 * ("global", absent), since the partition cannot then be told.
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
export function partitionOf(region: string | null): string | null {
  if (region === null || !REGION.test(region)) return null;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Builds a regional ARN; null when region, account or resource is missing. */
export function regionalArn(
  service: string,
  region: string | null,
  account: string | null,
  resource: string | null,
): string | null {
  const partition = partitionOf(region);
  if (partition === null || !account || !resource) return null;
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}
