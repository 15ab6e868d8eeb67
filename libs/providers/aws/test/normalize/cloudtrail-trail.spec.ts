import { describe, expect, it } from 'vitest';
import { corpus, native, normalizeOne, propertiesOf } from '../helpers.js';

describe('AWS::CloudTrail::Trail → audit.trail', () => {
  it.each([
    {
      name: 'rdk example: multi-region with log validation; logging not in Config (unknown)',
      document: () => corpus('aws/rdk-ci-cloudtrail-trail.json'),
      expected: {
        logging: null,
        multiRegion: true,
        logFileValidation: true,
        kmsKeyId: null,
        kmsEncrypted: false,
      },
    },
    {
      name: 'single-region trail encrypted with a key',
      document: () => native('dd-log-001-violating-single-region-trail.json'),
      expected: {
        logging: null,
        multiRegion: false,
        logFileValidation: true,
        kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/2d3e4f5a-6b7c-4d8e-8f9a-1b2c3d4e5f6a',
        kmsEncrypted: true,
      },
    },
  ])('$name', ({ document, expected, name }) => {
    expect(propertiesOf(normalizeOne(document(), name), 'audit.trail')).toEqual(expected);
  });

  it('reads kmsEncrypted false only from a whole trail item, and never from a null kmsKeyId', () => {
    const item = structuredClone(native('dd-log-003-violating-trail-sse-s3.json')) as {
      configuration: Record<string, unknown>;
    };
    const encrypted = () => propertiesOf(normalizeOne(item, 'trail'), 'audit.trail').kmsEncrypted;
    expect(encrypted()).toBe(false);
    item.configuration['kmsKeyId'] = null;
    expect(encrypted()).toBeNull();
    delete item.configuration['kmsKeyId'];
    delete item.configuration['s3BucketName'];
    expect(encrypted()).toBeNull();
  });

  it('keeps the envelope account when the ARN names another (rdk partial scrub)', () => {
    const resource = normalizeOne(corpus('aws/rdk-ci-cloudtrail-trail.json'), 'rdk');
    expect(resource.account).toBe('212591712841');
    expect(resource.id).toBe('arn:aws:cloudtrail:ap-southeast-1:123456789012:trail/APJCCloudTrail');
  });

  it('reads IsLogging when an item carries the trail status', () => {
    const item = structuredClone(native('dd-log-001-compliant-multi-region-trail.json')) as {
      supplementaryConfiguration: Record<string, unknown>;
    };
    item.supplementaryConfiguration['TrailStatus'] = { IsLogging: false };
    const properties = propertiesOf(normalizeOne(item, 'status'), 'audit.trail');
    expect(properties.logging).toBe(false);
  });
});
