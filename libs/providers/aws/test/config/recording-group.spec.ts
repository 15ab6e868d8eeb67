import type { RecordingGroup } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { recordsType } from '../../src/config/recording-group.js';

const bucket = 'AWS::S3::Bucket';
const role = 'AWS::IAM::Role';
const recorded = (group: RecordingGroup | undefined) =>
  [bucket, role, 'AWS::EC2::Instance'].filter((type) => recordsType(group, type));

describe('recordsType (API_RecordingGroup.html)', () => {
  it('all supported: every regional type, the IAM types only with includeGlobalResourceTypes', () => {
    expect(recorded({ allSupported: true })).toEqual([bucket, 'AWS::EC2::Instance']);
    expect(recorded({ allSupported: true, includeGlobalResourceTypes: true })).toEqual([
      bucket,
      role,
      'AWS::EC2::Instance',
    ]);
    expect(
      recorded({
        allSupported: true,
        includeGlobalResourceTypes: false,
        recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' },
      }),
    ).toEqual([bucket, 'AWS::EC2::Instance']);
  });

  it('inclusion: only the listed types, an IAM type too when listed', () => {
    expect(recorded({ allSupported: false, resourceTypes: [bucket] })).toEqual([bucket]);
    expect(
      recorded({
        resourceTypes: [role],
        includeGlobalResourceTypes: false,
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      }),
    ).toEqual([role]);
  });

  it('exclusion: every type not excluded, IAM included whatever includeGlobalResourceTypes says', () => {
    expect(
      recorded({
        includeGlobalResourceTypes: false,
        exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Instance'] },
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
      }),
    ).toEqual([bucket, role]);
  });

  it('records nothing it cannot read: no group, an empty group, an unknown strategy', () => {
    expect(recorded(undefined)).toEqual([]);
    expect(recorded({})).toEqual([]);
    expect(
      recorded({ allSupported: true, recordingStrategy: { useOnly: 'SOMETHING_NEW' as never } }),
    ).toEqual([]);
  });
});
