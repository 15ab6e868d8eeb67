import { regionalArn } from '../decode/arn.js';
import { booleanOr, isRecord, nonEmptyString, own, type JsonObject } from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::CloudTrail::Trail → audit.trail.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html
 */
export const cloudTrailTrail: TypeNormalizer<'audit.trail'> = {
  kind: 'audit.trail',

  arn: ({ configuration, region, account }) => {
    const name = nonEmptyString(own(configuration, 'name'));
    return (
      nonEmptyString(own(configuration, 'trailARN')) ??
      regionalArn('cloudtrail', region, account, name === null ? null : `trail/${name}`)
    );
  },

  name: (configuration) => nonEmptyString(own(configuration, 'name')),

  properties: ({ configuration, supplementary }) => ({
    logging: logging(configuration, supplementary),
    multiRegion: booleanOr(own(configuration, 'isMultiRegionTrail')),
    logFileValidation: booleanOr(own(configuration, 'logFileValidationEnabled')),
    kmsKeyId: nonEmptyString(own(configuration, 'kmsKeyId')),
    kmsEncrypted: kmsEncrypted(configuration),
  }),
};

/**
 * KmsKeyId is present only on a trail whose logs are SSE-KMS encrypted ("the value is a fully
 * specified ARN to a KMS key"; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html),
 * and Config's items omit absent fields, as recorded items without it show. An item that does
 * not even name the trail's bucket is not a whole trail: unknown.
 */
function kmsEncrypted(configuration: JsonObject): boolean | null {
  if (nonEmptyString(own(configuration, 'kmsKeyId')) !== null) return true;
  if (nonEmptyString(own(configuration, 's3BucketName')) === null) return null;
  return own(configuration, 'kmsKeyId') === undefined ? false : null;
}

/**
 * Whether the trail is logging is GetTrailStatus.IsLogging, which Config's
 * schema does not record
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html):
 * read only when an item carries it, else unknown.
 */
function logging(configuration: JsonObject, supplementary: JsonObject | null): boolean | null {
  const candidates = [own(configuration, 'isLogging'), own(configuration, 'IsLogging')];
  for (const key of ['TrailStatus', 'Status']) {
    const status = supplementary ? own(supplementary, key) : undefined;
    if (isRecord(status)) candidates.push(own(status, 'isLogging'), own(status, 'IsLogging'));
  }
  for (const candidate of candidates) {
    const value = booleanOr(candidate);
    if (value !== null) return value;
  }
  return null;
}
