import {
  BatchGetAggregateResourceConfigCommand,
  BatchGetResourceConfigCommand,
  ListAggregateDiscoveredResourcesCommand,
  ListDiscoveredResourcesCommand,
  type AggregateResourceIdentifier,
  type BaseConfigurationItem,
  type ConfigServiceClient,
  type ResourceIdentifier,
  type ResourceKey,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { ACCOUNT_PUBLIC_ACCESS_BLOCK } from '../normalize/s3-account-public-access-block.js';
import { abortOptions } from '../sdk/abort.js';
import { answerList, answerToken } from '../sdk/answers.js';
import type { BatchGet } from './batch-get.js';

/** One listed page: the keys to fetch, and the token of the next page (none on the last). */
export interface ListedPage<K> {
  readonly keys: readonly K[];
  readonly nextToken: string | undefined;
}

/**
 * What one sweep page needs from AWS Config. The account source
 * (BatchGetResourceConfig) and the aggregator source
 * (BatchGetAggregateResourceConfig) implement it; a test can implement it
 * over recorded answers.
 */
export interface PageSource<K> {
  readonly batchGet: BatchGet<K>;
  /**
   * Keys of the AWS::S3::AccountPublicAccessBlock item(s) that apply to a
   * bucket item: none when the account has none recorded.
   */
  accountBlockKeys(bucket: BaseConfigurationItem): Promise<readonly K[]>;
  /** Which account block a bucket needs, as a cache key (one lookup per sweep). */
  accountBlockScope(bucket: BaseConfigurationItem): string;
  /** A key as error messages and retry reports name it. */
  describeKey(key: K): string;
}

/** A page source that also lists the resources of a type, page by page. */
export interface ConfigSource<K> extends PageSource<K> {
  list(resourceType: string, limit: number, nextToken: string | undefined): Promise<ListedPage<K>>;
}

/**
 * The resources the client's own account records in the client's region:
 * ListDiscoveredResources + BatchGetResourceConfig. Aborting `signal` cuts
 * the call in flight.
 */
export function accountSource(
  client: ConfigServiceClient,
  signal?: AbortSignal,
): ConfigSource<ResourceKey> {
  const describeKey = (key: ResourceKey) => `${key.resourceType} ${key.resourceId}`;
  const list = async (
    resourceType: string,
    limit: number,
    nextToken: string | undefined,
    resourceIds?: string[],
  ): Promise<ListedPage<ResourceKey>> => {
    // includeDeletedResources false: deleted resources are not listed
    // (https://docs.aws.amazon.com/config/latest/APIReference/API_ListDiscoveredResources.html).
    const answer = await client.send(
      new ListDiscoveredResourcesCommand({
        resourceType: resourceType as ResourceType,
        limit,
        includeDeletedResources: false,
        ...(nextToken === undefined ? {} : { nextToken }),
        ...(resourceIds === undefined ? {} : { resourceIds }),
      }),
      abortOptions(signal),
    );
    const operation = 'ConfigService ListDiscoveredResources';
    const identifiers = answerList(answer.resourceIdentifiers, operation, 'resourceIdentifiers');
    const keys = keysToFetch(identifiers, resourceType);
    return { keys, nextToken: answerToken(answer.nextToken, operation, 'nextToken') };
  };

  return {
    list: (resourceType, limit, nextToken) => list(resourceType, limit, nextToken),
    batchGet: async (keys) => {
      // https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetResourceConfig.html
      const answer = await client.send(
        new BatchGetResourceConfigCommand({ resourceKeys: [...keys] }),
        abortOptions(signal),
      );
      const operation = 'ConfigService BatchGetResourceConfig';
      return {
        items: answerList(answer.baseConfigurationItems, operation, 'baseConfigurationItems'),
        unprocessed: answerList(
          answer.unprocessedResourceKeys,
          operation,
          'unprocessedResourceKeys',
        ),
      };
    },
    // The item's resourceId is the account id (AWS Config resource schema,
    // AWS::S3::AccountPublicAccessBlock). Listed first, so that an account
    // without the setting is never asked for (and never retried as unprocessed).
    accountBlockKeys: async (bucket) => {
      const account = bucketAccount(bucket);
      const listed = await list(ACCOUNT_PUBLIC_ACCESS_BLOCK, 1, undefined, [account]);
      return listed.keys.filter((key) => key.resourceId === account);
    },
    accountBlockScope: (bucket) => bucketAccount(bucket),
    describeKey,
  };
}

/**
 * The keys of listed identifiers worth fetching. An identifier with a
 * deletion time names a deleted resource (ListDiscoveredResources lists those
 * only with includeDeletedResources, which a sweep leaves false:
 * https://docs.aws.amazon.com/config/latest/APIReference/API_ListDiscoveredResources.html):
 * there is nothing to fetch, and leaving it unseen lets the sweep resolve its
 * findings.
 */
export function keysToFetch(
  identifiers: readonly ResourceIdentifier[],
  resourceType: string,
): ResourceKey[] {
  const keys: ResourceKey[] = [];
  for (const identifier of identifiers) {
    if (typeof identifier !== 'object' || identifier === null) {
      throw new Error(
        `ListDiscoveredResources returned an identifier that is no object (${resourceType})`,
      );
    }
    if (identifier.resourceDeletionTime !== undefined) continue;
    const { resourceType: type, resourceId } = identifier;
    if (type === undefined || resourceId === undefined) {
      throw new Error(
        `ListDiscoveredResources returned an identifier without resourceType or resourceId (${resourceType})`,
      );
    }
    keys.push({ resourceType: type, resourceId });
  }
  return keys;
}

/**
 * The resources a configuration aggregator gathered from its source accounts
 * and regions: ListAggregateDiscoveredResources + BatchGetAggregateResourceConfig.
 * Aborting `signal` cuts the call in flight.
 */
export function aggregatorSource(
  client: ConfigServiceClient,
  aggregatorName: string,
  signal?: AbortSignal,
): ConfigSource<AggregateResourceIdentifier> {
  const describeKey = (key: AggregateResourceIdentifier) =>
    `${key.ResourceType} ${key.ResourceId} (account ${key.SourceAccountId}, ${key.SourceRegion})`;
  const list = async (
    resourceType: string,
    limit: number,
    nextToken: string | undefined,
    filters?: { AccountId: string; Region: string },
  ): Promise<ListedPage<AggregateResourceIdentifier>> => {
    // https://docs.aws.amazon.com/config/latest/APIReference/API_ListAggregateDiscoveredResources.html
    const answer = await client.send(
      new ListAggregateDiscoveredResourcesCommand({
        ConfigurationAggregatorName: aggregatorName,
        ResourceType: resourceType as ResourceType,
        Limit: limit,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        ...(filters === undefined ? {} : { Filters: filters }),
      }),
      abortOptions(signal),
    );
    const operation = 'ConfigService ListAggregateDiscoveredResources';
    const listed = answerList(answer.ResourceIdentifiers, operation, 'ResourceIdentifiers');
    const keys = listed.map((identifier) => {
      if (typeof identifier !== 'object' || identifier === null) {
        throw new Error(
          `ListAggregateDiscoveredResources returned an identifier that is no object (${resourceType})`,
        );
      }
      const { SourceAccountId, SourceRegion, ResourceId, ResourceType: type } = identifier;
      if (!SourceAccountId || !SourceRegion || !ResourceId || !type) {
        throw new Error(
          `ListAggregateDiscoveredResources returned an incomplete identifier (${resourceType})`,
        );
      }
      return identifier;
    });
    return { keys, nextToken: answerToken(answer.NextToken, operation, 'NextToken') };
  };

  return {
    list: (resourceType, limit, nextToken) => list(resourceType, limit, nextToken),
    batchGet: async (keys) => {
      // https://docs.aws.amazon.com/config/latest/APIReference/API_BatchGetAggregateResourceConfig.html
      const answer = await client.send(
        new BatchGetAggregateResourceConfigCommand({
          ConfigurationAggregatorName: aggregatorName,
          ResourceIdentifiers: [...keys],
        }),
        abortOptions(signal),
      );
      const operation = 'ConfigService BatchGetAggregateResourceConfig';
      return {
        items: answerList(answer.BaseConfigurationItems, operation, 'BaseConfigurationItems'),
        unprocessed: answerList(
          answer.UnprocessedResourceIdentifiers,
          operation,
          'UnprocessedResourceIdentifiers',
        ),
      };
    },
    // Each source region records the account's setting as its own item: the
    // one of the bucket's region applies.
    accountBlockKeys: async (bucket) => {
      const account = bucketAccount(bucket);
      const region = bucketRegion(bucket);
      const listed = await list(ACCOUNT_PUBLIC_ACCESS_BLOCK, 100, undefined, {
        AccountId: account,
        Region: region,
      });
      return listed.keys.filter(
        (key) => key.SourceAccountId === account && key.SourceRegion === region,
      );
    },
    accountBlockScope: (bucket) => `${bucketAccount(bucket)} ${bucketRegion(bucket)}`,
    describeKey,
  };
}

function bucketAccount(bucket: BaseConfigurationItem): string {
  if (!bucket.accountId) {
    throw new Error(`S3 bucket item ${bucket.resourceId ?? '(no id)'} names no accountId`);
  }
  return bucket.accountId;
}

function bucketRegion(bucket: BaseConfigurationItem): string {
  if (!bucket.awsRegion) {
    throw new Error(`S3 bucket item ${bucket.resourceId ?? '(no id)'} names no awsRegion`);
  }
  return bucket.awsRegion;
}
