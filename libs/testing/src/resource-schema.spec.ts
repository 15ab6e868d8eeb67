import { describe, expect, it } from 'vitest';
import { unknownStorageBucket } from '@drift-detective/resource-model';
import { assertValidResource, resourceSchemaErrors } from './resource-schema.js';

const bucket = {
  provider: 'aws',
  kind: 'storage.bucket',
  nativeType: 'AWS::S3::Bucket',
  id: 'arn:aws:s3:::b',
  name: 'b',
  account: '123456789012',
  region: 'us-east-1',
  tags: {},
  observedAt: '2026-11-01T00:00:00Z',
  native: {},
  properties: unknownStorageBucket(),
};

describe('resource.schema.json', () => {
  it('accepts a bucket with every property unknown', () => {
    expect(resourceSchemaErrors(bucket)).toEqual([]);
  });

  it('rejects a missing property instead of treating it as unknown', () => {
    const { versioning: _dropped, ...properties } = bucket.properties;
    expect(resourceSchemaErrors({ ...bucket, properties }).join('\n')).toContain('versioning');
  });

  it('rejects a time without a zone and an unknown provider', () => {
    expect(() => assertValidResource({ ...bucket, observedAt: '2026-11-01 00:00:00' })).toThrow(
      /observedAt/,
    );
    expect(resourceSchemaErrors({ ...bucket, provider: 'oracle' })).not.toEqual([]);
  });

  it('rejects properties on kind other', () => {
    expect(resourceSchemaErrors({ ...bucket, kind: 'other', properties: { x: 1 } })).not.toEqual(
      [],
    );
    expect(resourceSchemaErrors({ ...bucket, kind: 'other', properties: {} })).toEqual([]);
  });
});
