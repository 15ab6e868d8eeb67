import { describe, expect, it } from 'vitest';
import { keysToFetch } from '../../src/config/sources.js';

describe('keysToFetch (a ListDiscoveredResources page → BatchGetResourceConfig keys)', () => {
  it('keeps type and id, and leaves out identifiers of deleted resources', () => {
    expect(
      keysToFetch(
        [
          { resourceType: 'AWS::S3::Bucket', resourceId: 'live', resourceName: 'live' },
          {
            resourceType: 'AWS::S3::Bucket',
            resourceId: 'gone',
            resourceDeletionTime: new Date(Date.UTC(2024, 0, 1)),
          },
        ],
        'AWS::S3::Bucket',
      ),
    ).toEqual([{ resourceType: 'AWS::S3::Bucket', resourceId: 'live' }]);
  });

  it('refuses an identifier it could not fetch', () => {
    expect(() => keysToFetch([{ resourceType: 'AWS::S3::Bucket' }], 'AWS::S3::Bucket')).toThrow(
      /without resourceType or resourceId \(AWS::S3::Bucket\)/,
    );
  });
});
