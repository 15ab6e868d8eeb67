import {
  PutConfigurationAggregatorCommand,
  PutConfigurationRecorderCommand,
  type PutConfigurationAggregatorCommandInput,
  type RecordingGroup,
} from '@aws-sdk/client-config-service';
import { inScope, type FindingRecord } from '@drift-detective/findings';
import { startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepScope } from '../../src/config/sweep-scope.js';
import { SUPPORTED_TYPES } from '../../src/index.js';
import { MOTO_ACCOUNT, motoConfigClient } from './moto.js';

const IAM_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Policy'] as const;
const TYPES = ['AWS::S3::Bucket', ...IAM_TYPES, 'AWS::EC2::Instance'];
const sorted = (set: ReadonlySet<string> | null) => (set === null ? null : [...set].sort());

/** Only the fields inScope reads. */
const finding = (account: string, region: string | null, kind: string) =>
  ({ provider: 'aws', account, region, kind }) as FindingRecord;

describe('sweepScope against moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  const record = (recordingGroup: RecordingGroup) =>
    motoConfigClient(moto.endpoint).send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: `arn:aws:iam::${MOTO_ACCOUNT}:role/config`,
          recordingGroup,
        },
      }),
    );

  describe('of one region', () => {
    it('covers the account, the region, "global" and the kinds the recorder records', async () => {
      await record({ allSupported: true, includeGlobalResourceTypes: true });
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint, 'eu-west-1'),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
      });
      // The recorder was put in us-east-1: eu-west-1 has none and records nothing.
      expect(sorted(scope.kinds)).toEqual([]);

      const home = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
      });
      expect(home.provider).toBe('aws');
      expect(sorted(home.accounts)).toEqual([MOTO_ACCOUNT]);
      expect(sorted(home.regions)).toEqual(['global', 'us-east-1']);
      expect(sorted(home.kinds)).toEqual(['compute.instance', 'iam.policy', 'storage.bucket']);
      expect(inScope(home, finding(MOTO_ACCOUNT, 'global', 'iam.policy'))).toBe(true);
      expect(inScope(home, finding(MOTO_ACCOUNT, 'us-west-2', 'storage.bucket'))).toBe(false);
      expect(inScope(home, finding('210987654321', 'us-east-1', 'storage.bucket'))).toBe(false);
    });

    it('leaves out the IAM types (and "global") when the recorder does not record them', async () => {
      await record({ allSupported: true, includeGlobalResourceTypes: false });
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
      });
      expect(sorted(scope.regions)).toEqual(['us-east-1']);
      expect(sorted(scope.kinds)).toEqual(['compute.instance', 'storage.bucket']);
      expect(inScope(scope, finding(MOTO_ACCOUNT, 'global', 'iam.policy'))).toBe(false);
    });

    it('covers only the types a recorder of listed types records', async () => {
      await record({ allSupported: false, resourceTypes: ['AWS::S3::Bucket'] });
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
      });
      expect(sorted(scope.kinds)).toEqual(['storage.bucket']);
      expect(sorted(scope.regions)).toEqual(['us-east-1']);
    });

    it('covers a kind only when every type of it is swept and recorded (roles, users, policies are one kind)', async () => {
      await record({ allSupported: false, resourceTypes: ['AWS::S3::Bucket', ...IAM_TYPES] });
      const rolesOnly = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'],
      });
      expect(sorted(rolesOnly.kinds)).toEqual(['storage.bucket']);
      expect(inScope(rolesOnly, finding(MOTO_ACCOUNT, 'global', 'iam.policy'))).toBe(false);

      await record({ allSupported: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'] });
      const usersNotRecorded = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
      });
      expect(sorted(usersNotRecorded.kinds)).toEqual(['storage.bucket']);
    });

    it('covers no kind without a recorder, and defaults to every supported type', async () => {
      const none = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
      });
      expect(sorted(none.kinds)).toEqual([]);
      await record({
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
        exclusionByResourceTypes: { resourceTypes: ['AWS::KMS::Key'] },
      });
      const all = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
      });
      const kinds = new Set(Object.values(SUPPORTED_TYPES));
      kinds.delete('kms.key');
      expect(sorted(all.kinds)).toEqual([...kinds].sort());
      expect(sorted(all.regions)).toEqual(['global', 'us-east-1']);
    });

    it('needs the account', async () => {
      await expect(
        sweepScope({ client: motoConfigClient(moto.endpoint), account: '' }),
      ).rejects.toThrow('sweepScope needs the account id');
    });
  });

  describe('of an aggregator (its AccountAggregationSources: moto lacks DescribeConfigurationAggregatorSourcesStatus)', () => {
    const aggregate = (input: PutConfigurationAggregatorCommandInput) =>
      motoConfigClient(moto.endpoint).send(new PutConfigurationAggregatorCommand(input));

    it('covers the source accounts and regions, and "global" for the IAM types', async () => {
      await aggregate({
        ConfigurationAggregatorName: 'view',
        AccountAggregationSources: [
          { AccountIds: [MOTO_ACCOUNT, '210987654321'], AwsRegions: ['us-east-1', 'eu-west-1'] },
        ],
      });
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        aggregator: { name: 'view' },
        resourceTypes: TYPES,
      });
      expect(sorted(scope.accounts)).toEqual(['123456789012', '210987654321']);
      expect(sorted(scope.regions)).toEqual(['eu-west-1', 'global', 'us-east-1']);
      expect(sorted(scope.kinds)).toEqual(['compute.instance', 'iam.policy', 'storage.bucket']);

      const regional = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        aggregator: { name: 'view' },
        resourceTypes: ['AWS::S3::Bucket'],
      });
      expect(sorted(regional.regions)).toEqual(['eu-west-1', 'us-east-1']);
    });

    it('covers every region of an all-regions source', async () => {
      await aggregate({
        ConfigurationAggregatorName: 'everywhere',
        AccountAggregationSources: [{ AccountIds: [MOTO_ACCOUNT], AllAwsRegions: true }],
      });
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        aggregator: { name: 'everywhere' },
      });
      expect(scope.regions).toBeNull();
      expect(sorted(scope.accounts)).toEqual([MOTO_ACCOUNT]);
    });

    it('refuses an organization aggregator, whose accounts its definition does not list', async () => {
      await aggregate({
        ConfigurationAggregatorName: 'org',
        OrganizationAggregationSource: {
          RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/aggregator`,
          AllAwsRegions: true,
        },
      });
      await expect(
        sweepScope({ client: motoConfigClient(moto.endpoint), aggregator: { name: 'org' } }),
      ).rejects.toThrow(/gathers an organization/);
    });

    it('lets the error of an unknown aggregator through', async () => {
      await expect(
        sweepScope({ client: motoConfigClient(moto.endpoint), aggregator: { name: 'nope' } }),
      ).rejects.toMatchObject({ name: 'NoSuchConfigurationAggregatorException' });
    });
  });
});
