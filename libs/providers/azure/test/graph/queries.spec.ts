import { describe, expect, it } from 'vitest';
import {
  CursorOfOtherSweepError,
  decodeCursor,
  encodeCursor,
  type CursorContext,
} from '../../src/graph/cursor.js';
import {
  kqlString,
  resourceChangesQuery,
  resourcesQuery,
  ROLE_DEFINITIONS_QUERY,
  SUBSCRIPTIONS_QUERY,
} from '../../src/graph/kql.js';
import { sweepPlan, sweepTypes, SWEEP_TYPES } from '../../src/graph/sweep-plan.js';
import { sweepScopeOf } from '../../src/graph/sweep-scope.js';

const SUB = '0000AAAA-0000-0000-0000-000000000001';

describe('query text', () => {
  it('quotes KQL strings with backslash escapes', () => {
    expect(kqlString("it's")).toBe("'it\\'s'");
    expect(kqlString('a\\b')).toBe("'a\\\\b'");
  });

  it('writes the queries of the supported subset', () => {
    expect(resourcesQuery(['Microsoft.Storage/storageAccounts', 'Microsoft.Sql/servers'])).toBe(
      "resources | where type in~ ('microsoft.storage/storageaccounts', 'microsoft.sql/servers') | order by id asc",
    );
    expect(ROLE_DEFINITIONS_QUERY).toBe(
      "authorizationresources | where type =~ 'microsoft.authorization/roledefinitions' | order by id asc",
    );
    expect(resourceChangesQuery(['/subscriptions/s/a', '/subscriptions/s/b'])).toBe(
      "resourcechanges | where properties.targetResourceId in~ ('/subscriptions/s/a', '/subscriptions/s/b') | order by properties.changeAttributes.timestamp desc",
    );
    expect(SUBSCRIPTIONS_QUERY).toBe(
      "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | order by id asc",
    );
    expect(() => resourcesQuery([])).toThrow(RangeError);
  });
});

describe('sweep plan', () => {
  it('reads the resources table first, then role definitions', () => {
    expect(sweepPlan(sweepTypes()).map((p) => p.table)).toEqual([
      'resources',
      'authorizationresources',
    ]);
    expect(
      sweepPlan(sweepTypes(['microsoft.authorization/roledefinitions'])).map((p) => p.table),
    ).toEqual(['authorizationresources']);
  });

  it('refuses types a sweep reads with their parent, or not at all', () => {
    expect(() => sweepTypes(['Microsoft.Storage/storageAccounts/blobServices/containers'])).toThrow(
      /come with their parent/,
    );
    expect(() => sweepTypes(['Microsoft.Network/publicIPAddresses'])).toThrow(TypeError);
    expect(() => sweepTypes([])).toThrow(RangeError);
  });
});

describe('sweepScopeOf', () => {
  it('covers the subscription (as given and lower case), every region, the swept kinds', () => {
    const scope = sweepScopeOf(SUB);
    expect(scope.provider).toBe('azure');
    expect([...(scope.accounts ?? [])]).toEqual([SUB, SUB.toLowerCase()]);
    expect(scope.regions).toBeNull();
    expect([...(scope.kinds ?? [])].sort()).toEqual([
      'compute.instance',
      'database.instance',
      'iam.policy',
      'kms.key',
      'network.firewall',
      'serverless.function',
      'storage.bucket',
    ]);
  });

  it('covers only kinds whose every type was swept', () => {
    expect([
      ...(sweepScopeOf(SUB, ['Microsoft.Network/networkSecurityGroups']).kinds ?? []),
    ]).toEqual(['network.firewall']);
    // Containers come with their accounts, so storage.bucket is whole.
    expect([...(sweepScopeOf(SUB, ['Microsoft.Storage/storageAccounts']).kinds ?? [])]).toEqual([
      'storage.bucket',
    ]);
  });
});

describe('cursor', () => {
  const context: CursorContext = { subscription: SUB, phases: sweepPlan(sweepTypes(SWEEP_TYPES)) };

  it('round-trips a position, the end included', () => {
    for (const position of [
      { phase: 0, skipToken: 'abc' },
      { phase: 1, skipToken: null },
      { phase: 2, skipToken: null },
    ]) {
      expect(decodeCursor(encodeCursor(position, context), context)).toEqual(position);
    }
  });

  it('is versioned JSON naming the subscription, table, query and skip token', () => {
    expect(JSON.parse(encodeCursor({ phase: 0, skipToken: 't' }, context))).toMatchObject({
      v: 1,
      subscription: SUB.toLowerCase(),
      phase: 0,
      table: 'resources',
      skipToken: 't',
    });
  });

  it('tells a cursor of another sweep from one that is no cursor', () => {
    const saved = encodeCursor({ phase: 0, skipToken: 't' }, context);
    const otherTypes: CursorContext = {
      subscription: SUB,
      phases: sweepPlan(['Microsoft.Sql/servers']),
    };
    expect(() => decodeCursor(saved, otherTypes)).toThrow(CursorOfOtherSweepError);
    const otherSub = { ...context, subscription: '00000000-0000-0000-0000-000000000009' };
    expect(() => decodeCursor(saved, otherSub)).toThrow(CursorOfOtherSweepError);
    const aws = JSON.stringify({ v: 1, index: 0, type: 'AWS::S3::Bucket', nextToken: null });
    expect(() => decodeCursor(aws, context)).toThrow(/not a Resource Graph sweep cursor/);
    expect(() => decodeCursor('garbage', context)).toThrow(/not JSON/);
    expect(() => decodeCursor(JSON.stringify({ v: 2 }), context)).toThrow(/version 2/);
  });
});
