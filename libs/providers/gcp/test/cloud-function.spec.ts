import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { clone, nativeFixture, normalizeOne, type Expected } from './helpers.js';

type Fn = ResourceOf<'serverless.function'>;
type Record_ = { resource: { data: Record<string, unknown> } };

const v1 = () => clone(nativeFixture('cloudfunctions-v1-https-optional.json')) as Record_;

const cases: {
  title: string;
  document: () => unknown;
  expected: Expected<Fn>;
}[] = [
  {
    title: 'v1 CloudFunction, httpsTrigger SECURE_OPTIONAL → httpsOnly false',
    document: v1,
    expected: {
      nativeType: 'cloudfunctions.googleapis.com/CloudFunction',
      name: 'resize-images',
      region: 'us-central1',
      tags: { 'deployment-tool': 'cli-gcloud' },
      properties: {
        runtime: 'python311',
        identity: 'dd-fixtures-prod@appspot.gserviceaccount.com',
        httpsOnly: false,
        policy: null,
        iamBindings: null,
        minimumTlsVersion: null,
      },
    },
  },
  {
    title: 'v1 SECURE_ALWAYS → httpsOnly true',
    document: () => {
      const record = v1();
      (record.resource.data['httpsTrigger'] as Record<string, unknown>)['securityLevel'] =
        'SECURE_ALWAYS';
      return record;
    },
    expected: { properties: { httpsOnly: true } },
  },
  {
    title: 'v1 httpsTrigger without securityLevel: "If unspecified, SECURE_OPTIONAL will be used"',
    document: () => {
      const record = v1();
      delete (record.resource.data['httpsTrigger'] as Record<string, unknown>)['securityLevel'];
      return record;
    },
    expected: { properties: { httpsOnly: false } },
  },
  {
    title: 'v1 event-triggered function has no URL: httpsOnly unknown',
    document: () => nativeFixture('cloudfunctions-v1-event-trigger.json'),
    expected: {
      properties: {
        httpsOnly: null,
        identity: 'uploads-fn@dd-fixtures-prod.iam.gserviceaccount.com',
      },
    },
  },
  {
    title: 'v2 Function (GEN_2): runtime from buildConfig, identity from serviceConfig, HTTPS only',
    document: () => nativeFixture('cloudfunctions-v2-gen2.json'),
    expected: {
      nativeType: 'cloudfunctions.googleapis.com/Function',
      name: 'webhook',
      region: 'europe-west1',
      properties: {
        runtime: 'nodejs20',
        identity: '847203951166-compute@developer.gserviceaccount.com',
        httpsOnly: true,
      },
    },
  },
];

describe('cloudfunctions.googleapis.com/CloudFunction and /Function → serverless.function', () => {
  it.each(cases)('$title', ({ document, expected }) => {
    const resource = normalizeOne(document()) as Fn;
    assertValidResource(resource);
    expect(resource.kind).toBe('serverless.function');
    const { properties, ...top } = expected;
    expect(resource).toMatchObject(top);
    expect(resource.properties).toMatchObject(properties ?? {});
  });

  it('merges the function IAM policy (allUsers may invoke it)', () => {
    const record = v1() as unknown as { name: string; asset_type: string };
    const resource = normalizeOne([
      record,
      {
        name: record.name,
        asset_type: record.asset_type,
        iam_policy: {
          version: 1,
          etag: 'BwYE1w==',
          bindings: [{ role: 'roles/cloudfunctions.invoker', members: ['allUsers'] }],
        },
      },
    ]) as Fn;
    expect(resource.properties.iamBindings).toEqual([
      { role: 'roles/cloudfunctions.invoker', members: ['allUsers'], condition: null },
    ]);
  });
});
