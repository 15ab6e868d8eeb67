import { NormalizeError, ResourceDeletedNotice } from '@drift-detective/resource-model';
import { assertValidResource, builtPolicyEngine } from '@drift-detective/testing';
import type { PolicyEngine } from '@drift-detective/policy-engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsInventory, SUPPORTED_TYPES } from '../src/index.js';
import { corpus, corpusFiles, defined, encodedStrings, scanContext } from './helpers.js';

/** Records of the corpus that give no resource, and why. Every other record must normalize. */
const NOT_NORMALIZED: Record<string, { stage: 'unwrap' | 'normalize' | 'context'; why: RegExp }> = {
  // A periodic Config rule event carries no item: the reader must list the inventory itself.
  'aws/config-rule-event-scheduled.json': {
    stage: 'normalize',
    why: /no configuration item \(messageType ScheduledNotification\)/,
  },
  // SelectResourceConfig rows that selected only configuration + supplementaryConfiguration:
  // no ARN and no awsRegion, so the security group's regional ARN cannot be built.
  'aws/placebo-config-select-sg-default.json[0]': {
    stage: 'normalize',
    why: /AWS::EC2::SecurityGroup item has no ARN and too little to build one/,
  },
  'aws/placebo-config-select-sg-ssh-open.json[0]': {
    stage: 'normalize',
    why: /AWS::EC2::SecurityGroup item has no ARN and too little to build one/,
  },
  // A deletion is no state to evaluate; the event pipeline resolves the resource's findings.
  'aws/placebo-sqs-config-notification-s3-deleted.json[0]': {
    stage: 'normalize',
    why: /resource deleted: arn:aws:s3:::custodian-test-data-21/,
  },
  // The account-level Block Public Access is context for the account's buckets.
  'aws/rdk-ci-s3-account-public-access-block.json': { stage: 'context', why: /./ },
  // Raw S3 API answers (the same bucket as the SQS notification), not Config items.
  'aws/placebo-s3-raw-get-bucket-acl.json': { stage: 'unwrap', why: /no configuration items/ },
  'aws/placebo-s3-raw-get-bucket-logging.json': { stage: 'unwrap', why: /no configuration items/ },
  'aws/placebo-s3-raw-get-bucket-notification-configuration.json': {
    stage: 'unwrap',
    why: /no configuration items/,
  },
  'aws/placebo-s3-raw-get-bucket-policy.json': { stage: 'unwrap', why: /no configuration items/ },
  'aws/placebo-s3-raw-get-bucket-tagging.json': { stage: 'unwrap', why: /no configuration items/ },
  'aws/placebo-s3-raw-get-bucket-versioning.json': {
    stage: 'unwrap',
    why: /no configuration items/,
  },
  'aws/placebo-s3-raw-get-bucket-website.json': { stage: 'unwrap', why: /no configuration items/ },
  'aws/placebo-s3-raw-get-bucket-lifecycle-configuration.json': {
    stage: 'unwrap',
    why: /status 404 \(NoSuchLifecycleConfiguration\)/,
  },
  'aws/placebo-s3-raw-get-bucket-replication.json': {
    stage: 'unwrap',
    why: /status 404 \(ReplicationConfigurationNotFoundError\)/,
  },
};

/** Corpus records of types without a normalizer: kind "other". */
const OTHER = {
  'aws/config-history-rds-cluster.json[0]': 'AWS::RDS::DBCluster',
  'aws/config-rule-event-elbv2-with-diff.json': 'AWS::ElasticLoadBalancingV2::LoadBalancer',
};

let engine: PolicyEngine;
beforeAll(async () => {
  engine = await builtPolicyEngine();
});

describe('every recorded AWS payload', () => {
  const outcomes = new Map<string, string>();

  it.each(corpusFiles('aws'))('%s', (file) => {
    const context = scanContext();
    let records;
    try {
      records = awsInventory.unwrap(corpus(file), file);
    } catch (error) {
      expect(error).toBeInstanceOf(NormalizeError);
      expect(NOT_NORMALIZED[file]?.stage).toBe('unwrap');
      expect((error as Error).message).toMatch(defined(NOT_NORMALIZED[file]).why);
      outcomes.set(file, 'unwrap');
      return;
    }
    const contextOnly = records.filter((record) => awsInventory.collect(record, context));
    for (const record of records) {
      const expected = NOT_NORMALIZED[record.source];
      if (contextOnly.includes(record)) {
        expect(expected?.stage, record.source).toBe('context');
        outcomes.set(record.source, 'context');
        continue;
      }
      let resource;
      try {
        resource = awsInventory.normalize(record, context);
      } catch (error) {
        expect(error, record.source).toBeInstanceOf(NormalizeError);
        expect(expected?.stage, `${record.source}: ${(error as Error).message}`).toBe('normalize');
        expect((error as Error).message).toMatch(defined(expected).why);
        if (/resource deleted/.test(defined(expected).why.source)) {
          expect(error).toBeInstanceOf(ResourceDeletedNotice);
        }
        outcomes.set(record.source, 'normalize');
        continue;
      }
      expect(
        expected,
        `${record.source} normalized but is listed as not normalized`,
      ).toBeUndefined();
      assertValidResource(resource, record.source);
      // Every corpus record that normalizes also evaluates (no policy runtime error),
      // and the rules selected by its kind find what every rule finds.
      expect(engine.evaluate(resource), record.source).toEqual(engine.evaluateEveryRule(resource));
      expect(encodedStrings(resource.native), record.source).toEqual([]);
      const otherType = OTHER[record.source as keyof typeof OTHER];
      if (otherType) {
        expect(resource.kind).toBe('other');
        expect(resource.nativeType).toBe(otherType);
        expect(resource.properties).toEqual({});
      } else {
        expect(resource.kind).toBe(SUPPORTED_TYPES[resource.nativeType]);
      }
      outcomes.set(record.source, resource.kind);
    }
  });

  it('met every listed exception (none is stale)', () => {
    for (const source of [...Object.keys(NOT_NORMALIZED), ...Object.keys(OTHER)]) {
      expect(outcomes.has(source), source).toBe(true);
    }
    // Every supported type is in the corpus at least once.
    const kinds = new Set(outcomes.values());
    for (const kind of new Set(Object.values(SUPPORTED_TYPES))) expect(kinds).toContain(kind);
  });
});
