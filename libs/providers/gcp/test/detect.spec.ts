import { describe, expect, it } from 'vitest';
import { gcpInventory } from '../src/index.js';
import {
  flightBody,
  gcpCorpus,
  must,
  nativeFixture,
  otherCorpus,
  toNdjsonLines,
} from './helpers.js';

type Cassette = { interactions: { response: { body: { data: Record<string, unknown> } } }[] };

describe('detect', () => {
  const gcpShapes: [string, () => unknown][] = [
    ['an export file as a JSON array', () => gcpCorpus('cai-export-firewalls-sources.json')],
    ['an IAM_POLICY-only export array', () => gcpCorpus('cai-export-iam-policies-mixed.json')],
    [
      'one NDJSON export line',
      () =>
        JSON.parse(must(toNdjsonLines(gcpCorpus('cai-export-sql-public-ip.json') as unknown[])[0])),
    ],
    ['a listAssets answer', () => nativeFixture('list-assets-page.json')],
    ['an empty listAssets page', () => ({ readTime: '2025-11-07T06:00:00.352417Z' })],
    [
      'a batchGetAssetsHistory answer',
      () => flightBody('flight-cloudasset-batch-get-assets-history.json'),
    ],
    ['a feed TemporalAsset', () => nativeFixture('feed-temporal-asset-bucket.json')],
    ['a deleted feed TemporalAsset', () => nativeFixture('feed-temporal-asset-deleted.json')],
    ['a Pub/Sub push of a feed message', () => nativeFixture('pubsub-push-feed-bucket.json')],
    ["a Pub/Sub push of the feed's welcome", () => nativeFixture('pubsub-push-feed-welcome.json')],
    ['gcloud asset list output', () => nativeFixture('gcloud-asset-list.json')],
  ];

  it.each(gcpShapes)('recognizes %s', (_, document) => {
    expect(gcpInventory.detect(document())).toBe(true);
  });

  const azureNsgs = () => otherCorpus('azure', 'cassette-nsg-list.json') as Cassette;
  const resourceGraph = () =>
    must(
      (otherCorpus('azure', 'cassette-resource-graph-and-arm-storage.json') as Cassette)
        .interactions[1],
    ).response.body.data;
  const otherShapes: [string, () => unknown][] = [
    [
      'an AWS Config rule event (invokingEvent string)',
      () => otherCorpus('aws', 'config-rule-event-security-group-open-ssh.json'),
    ],
    [
      'an AWS Config item (notification shape, ARN)',
      () => otherCorpus('aws', 'rdk-ci-s3-bucket.json'),
    ],
    [
      'an AWS GetResourceConfigHistory answer',
      () => otherCorpus('aws', 'config-history-rds-cluster.json'),
    ],
    [
      'an AWS Config item inside a JSON array',
      () => otherCorpus('aws', 'rdk-ci-lambda-function.json'),
    ],
    [
      'an AWS SQS ReceiveMessage recording',
      () => otherCorpus('aws', 'placebo-sqs-config-notification-s3-created.json'),
    ],
    ['an Azure ARM list answer', () => must(azureNsgs().interactions[0]).response.body.data],
    [
      'an Azure ARM resource ("/subscriptions/…" id)',
      () => (must(azureNsgs().interactions[0]).response.body.data['value'] as unknown[])[0],
    ],
    [
      'an Azure ARM resource list as an array',
      () => must(azureNsgs().interactions[0]).response.body.data['value'],
    ],
    ['an Azure Resource Graph table answer', resourceGraph],
    ['a vcrpy cassette', azureNsgs],
    [
      'a GCP flight envelope (a test recording, not an input)',
      () => gcpCorpus('flight-compute-firewall-get-all-open.json'),
    ],
    [
      'a searchAll result (summary, no asset record)',
      () => flightBody('flight-cloudasset-search-all-resources.json'),
    ],
    ['an empty array', () => []],
    ['a string', () => '//storage.googleapis.com/b'],
    ['null', () => null],
  ];

  it.each(otherShapes)('rejects %s', (_, document) => {
    expect(gcpInventory.detect(document())).toBe(false);
  });
});
