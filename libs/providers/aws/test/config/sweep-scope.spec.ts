import {
  PutConfigurationAggregatorCommand,
  PutConfigurationRecorderCommand,
  type AggregatedSourceStatus,
  type AggregatedSourceStatusType,
  type AggregatedSourceType,
  type DescribeConfigurationAggregatorSourcesStatusResponse,
  type RecordingGroup,
} from '@aws-sdk/client-config-service';
import { inScope, type FindingRecord } from '@drift-detective/findings';
import { startMotoServer, type MotoServer } from '@drift-detective/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { succeededSources, sweepScope } from '../../src/config/sweep-scope.js';
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

  const record = (recordingGroup: RecordingGroup, region = 'us-east-1') =>
    motoConfigClient(moto.endpoint, region).send(
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

    it('covers the IAM types and "global" only in the home region', async () => {
      const everything = { allSupported: true, includeGlobalResourceTypes: true };
      await record(everything, 'us-east-1');
      await record(everything, 'eu-west-1');
      const scopeOf = (region: string, homeRegion: string) =>
        sweepScope({
          client: motoConfigClient(moto.endpoint, region),
          account: MOTO_ACCOUNT,
          resourceTypes: TYPES,
          homeRegion,
        });

      // eu-west-1 records IAM too, but us-east-1 answers for it.
      const other = await scopeOf('eu-west-1', 'us-east-1');
      expect(sorted(other.regions)).toEqual(['eu-west-1']);
      expect(sorted(other.kinds)).toEqual(['compute.instance', 'storage.bucket']);
      expect(inScope(other, finding(MOTO_ACCOUNT, 'global', 'iam.policy'))).toBe(false);
      expect(inScope(other, finding(MOTO_ACCOUNT, 'eu-west-1', 'storage.bucket'))).toBe(true);

      const home = await scopeOf('us-east-1', 'us-east-1');
      expect(sorted(home.regions)).toEqual(['global', 'us-east-1']);
      expect(inScope(home, finding(MOTO_ACCOUNT, 'global', 'iam.policy'))).toBe(true);

      // The same region answers once it is the home region.
      const moved = await scopeOf('eu-west-1', 'eu-west-1');
      expect(sorted(moved.regions)).toEqual(['eu-west-1', 'global']);
      expect(sorted(moved.kinds)).toEqual(['compute.instance', 'iam.policy', 'storage.bucket']);
    });

    it('leaves IAM out in a region Config cannot record it in, whatever its recorder says', async () => {
      // Europe (Zurich) came to Config after February 2022: an exclusion recorder there
      // "records" every type on paper, the IAM types never.
      await record(
        {
          recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          exclusionByResourceTypes: { resourceTypes: ['AWS::KMS::Key'] },
        },
        'eu-central-2',
      );
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint, 'eu-central-2'),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
        homeRegion: 'eu-central-2',
      });
      expect(sorted(scope.regions)).toEqual(['eu-central-2']);
      expect(sorted(scope.kinds)).toEqual(['compute.instance', 'storage.bucket']);
    });

    it('names the swept types the recorder does not record, once, with what to do', async () => {
      const warnings: [Record<string, unknown>, string][] = [];
      const logger = {
        warn: (fields: object, message: string) =>
          void warnings.push([fields as Record<string, unknown>, message]),
      };
      await record({ allSupported: false, resourceTypes: ['AWS::S3::Bucket', 'AWS::IAM::Role'] });
      await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
        logger,
      });
      expect(warnings).toEqual([
        [
          {
            account: MOTO_ACCOUNT,
            region: 'us-east-1',
            resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Policy', 'AWS::EC2::Instance'],
          },
          expect.stringMatching(
            /^the configuration recorder does not record these supported types: the sweep sees none of them/,
          ),
        ],
      ]);

      // Another region answers for no IAM type: only its own types are named.
      warnings.length = 0;
      await record({ allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }, 'eu-west-1');
      await sweepScope({
        client: motoConfigClient(moto.endpoint, 'eu-west-1'),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
        homeRegion: 'us-east-1',
        logger,
      });
      expect(warnings.map(([fields]) => fields['resourceTypes'])).toEqual([['AWS::EC2::Instance']]);

      // All recorded: nothing to say.
      warnings.length = 0;
      await record({ allSupported: true, includeGlobalResourceTypes: true });
      await sweepScope({
        client: motoConfigClient(moto.endpoint),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
        logger,
      });
      expect(warnings).toEqual([]);
    });

    it('says why when the home region cannot record the IAM types at all', async () => {
      const warnings: Record<string, unknown>[] = [];
      await record({ allSupported: true, includeGlobalResourceTypes: true }, 'eu-central-2');
      await sweepScope({
        client: motoConfigClient(moto.endpoint, 'eu-central-2'),
        account: MOTO_ACCOUNT,
        resourceTypes: TYPES,
        homeRegion: 'eu-central-2',
        logger: { warn: (fields) => void warnings.push(fields as Record<string, unknown>) },
      });
      expect(warnings).toEqual([
        {
          account: MOTO_ACCOUNT,
          region: 'eu-central-2',
          resourceTypes: [...IAM_TYPES],
          reason: expect.stringMatching(/cannot record the global IAM types in eu-central-2/),
        },
      ]);
    });

    it('needs the account', async () => {
      await expect(
        sweepScope({ client: motoConfigClient(moto.endpoint), account: '' }),
      ).rejects.toThrow('sweepScope needs the account id');
    });
  });

  describe('of an aggregator (moto lacks DescribeConfigurationAggregatorSourcesStatus)', () => {
    it('covers no account, with a warning, when the sources status cannot be read', async () => {
      await motoConfigClient(moto.endpoint).send(
        new PutConfigurationAggregatorCommand({
          ConfigurationAggregatorName: 'view',
          AccountAggregationSources: [
            { AccountIds: [MOTO_ACCOUNT, '210987654321'], AwsRegions: ['us-east-1', 'eu-west-1'] },
          ],
        }),
      );
      const warnings: { fields: Record<string, unknown>; message: string }[] = [];
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        aggregator: { name: 'view' },
        resourceTypes: TYPES,
        logger: { warn: (fields, message) => warnings.push({ fields, message }) },
      });
      expect(sorted(scope.accounts)).toEqual([]);
      expect(sorted(scope.kinds)).toEqual(['compute.instance', 'iam.policy', 'storage.bucket']);
      for (const region of ['us-east-1', 'eu-west-1', 'global']) {
        expect(inScope(scope, finding(MOTO_ACCOUNT, region, 'storage.bucket'))).toBe(false);
      }
      expect(warnings).toEqual([
        {
          fields: expect.objectContaining({ aggregator: 'view' }),
          message: expect.stringMatching(/sources status unreadable: the sweep covers no account/),
        },
      ]);
    });

    it('covers no account without a logger either', async () => {
      const scope = await sweepScope({
        client: motoConfigClient(moto.endpoint),
        aggregator: { name: 'nope' },
      });
      expect(sorted(scope.accounts)).toEqual([]);
    });
  });
});

const status = (
  account: string,
  region: string,
  LastUpdateStatus: AggregatedSourceStatusType = 'SUCCEEDED',
  SourceType: AggregatedSourceType = 'ACCOUNT',
): AggregatedSourceStatus => ({
  SourceId: account,
  SourceType,
  AwsRegion: region,
  LastUpdateStatus,
  LastUpdateTime: new Date('2026-11-01T00:00:00Z'),
});

describe('succeededSources', () => {
  const A = '111111111111';
  const B = '222222222222';
  const C = '333333333333';

  it('keeps only the sources whose last update SUCCEEDED, across pages', () => {
    const pages: DescribeConfigurationAggregatorSourcesStatusResponse[] = [
      {
        AggregatedSourceStatusList: [status(A, 'us-east-1'), status(A, 'eu-west-1')],
        NextToken: 'page-2',
      },
      {
        AggregatedSourceStatusList: [
          status(B, 'us-east-1', 'FAILED'),
          status(B, 'eu-west-1', 'OUTDATED'),
          status(C, 'us-east-1'),
          status(C, 'eu-west-1'),
        ],
      },
    ];
    const covered = succeededSources(pages);
    expect(sorted(covered.accounts)).toEqual([A, C]);
    expect(sorted(covered.regions)).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('never covers a pair that did not succeed: drops the account or the region, whichever costs less', () => {
    // B failed in eu-west-1 only: dropping B keeps 2 accounts × 2 regions (4 pairs),
    // dropping eu-west-1 keeps 3 accounts × 1 region (3).
    const oneFailure = succeededSources([
      {
        AggregatedSourceStatusList: [
          status(A, 'us-east-1'),
          status(A, 'eu-west-1'),
          status(B, 'us-east-1'),
          status(B, 'eu-west-1', 'FAILED'),
          status(C, 'us-east-1'),
          status(C, 'eu-west-1'),
        ],
      },
    ]);
    expect(sorted(oneFailure.accounts)).toEqual([A, C]);
    expect(sorted(oneFailure.regions)).toEqual(['eu-west-1', 'us-east-1']);

    // A region nobody but A succeeded in (an opt-in region): dropping it keeps 3 × 1.
    const optIn = succeededSources([
      {
        AggregatedSourceStatusList: [
          status(A, 'us-east-1'),
          status(B, 'us-east-1'),
          status(C, 'us-east-1'),
          status(A, 'me-central-1'),
          status(B, 'me-central-1', 'FAILED'),
          status(C, 'me-central-1', 'FAILED'),
        ],
      },
    ]);
    expect(sorted(optIn.accounts)).toEqual([A, B, C]);
    expect(sorted(optIn.regions)).toEqual(['us-east-1']);
  });

  it('takes no account from an organization source, and nothing from an empty answer', () => {
    const org = succeededSources([
      {
        AggregatedSourceStatusList: [
          status('o-a1b2c3d4e5', 'us-east-1', 'SUCCEEDED', 'ORGANIZATION'),
        ],
      },
    ]);
    expect(sorted(org.accounts)).toEqual([]);
    expect(sorted(org.regions)).toEqual([]);
    const empty = succeededSources([{}]);
    expect(sorted(empty.accounts)).toEqual([]);
  });
});
