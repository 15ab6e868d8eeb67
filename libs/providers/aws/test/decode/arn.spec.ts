import { describe, expect, it } from 'vitest';
import { parseArn, partitionOf, regionalArn } from '../../src/decode/arn.js';
import { inferResourceType, typeOfArn } from '../../src/item/infer-type.js';
import { defined } from '../helpers.js';

describe('ARNs', () => {
  it('splits an ARN whose resource part holds colons', () => {
    expect(parseArn('arn:aws:lambda:us-east-1:123456789012:function:name:alias')).toEqual({
      partition: 'aws',
      service: 'lambda',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'function:name:alias',
    });
    expect(parseArn('sg-123')).toBeNull();
    expect(parseArn('arn:aws:s3')).toBeNull();
  });

  it.each([
    { region: 'us-east-1', partition: 'aws' },
    { region: 'cn-north-1', partition: 'aws-cn' },
    { region: 'us-gov-west-1', partition: 'aws-us-gov' },
    { region: 'global', partition: null },
    { region: null, partition: null },
  ])('partition of $region is $partition', ({ region, partition }) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it('builds regional ARNs in the region’s partition, never with a part missing', () => {
    expect(regionalArn('ec2', 'cn-north-1', '1', 'security-group/sg-1')).toBe(
      'arn:aws-cn:ec2:cn-north-1:1:security-group/sg-1',
    );
    expect(regionalArn('ec2', null, '1', 'security-group/sg-1')).toBeNull();
    expect(regionalArn('ec2', 'us-east-1', null, 'security-group/sg-1')).toBeNull();
  });

  it.each([
    ['arn:aws:s3:::bucket', 'AWS::S3::Bucket'],
    ['arn:aws:s3:::bucket/key', null],
    ['arn:aws:ec2:us-east-1:1:security-group/sg-1', 'AWS::EC2::SecurityGroup'],
    ['arn:aws:ec2:us-east-1:1:instance/i-1', 'AWS::EC2::Instance'],
    ['arn:aws:iam::1:role/r', 'AWS::IAM::Role'],
    ['arn:aws:iam::1:user/u', 'AWS::IAM::User'],
    ['arn:aws:iam::aws:policy/AdministratorAccess', 'AWS::IAM::Policy'],
    ['arn:aws:kms:us-east-1:1:key/k', 'AWS::KMS::Key'],
    ['arn:aws:lambda:us-east-1:1:function:f', 'AWS::Lambda::Function'],
    ['arn:aws:rds:us-east-1:1:db:d', 'AWS::RDS::DBInstance'],
    ['arn:aws:rds:us-east-1:1:cluster:c', null],
    ['arn:aws:cloudtrail:us-east-1:1:trail/t', 'AWS::CloudTrail::Trail'],
  ])('type of %s is %s', (arn, type) => {
    expect(typeOfArn(defined(parseArn(arn)))).toBe(type);
  });

  it('tells a SelectResourceConfig row’s type from its configuration or supplementary keys', () => {
    expect(
      inferResourceType({}, { functionArn: 'arn:aws:lambda:us-east-2:1:function:f' }, {}),
    ).toBe('AWS::Lambda::Function');
    expect(inferResourceType({}, { name: 'b' }, { BucketPolicy: { policyText: null } })).toBe(
      'AWS::S3::Bucket',
    );
    expect(inferResourceType({}, { groupId: 'sg-1', ipPermissions: [] }, {})).toBe(
      'AWS::EC2::SecurityGroup',
    );
    expect(inferResourceType({}, { name: 'x' }, {})).toBeNull();
  });
});
