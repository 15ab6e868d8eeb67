import { assertValidResource } from '@drift-detective/testing';
import type { ResourceOf } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { byId, clone, gcpCorpus, must, nativeFixture, normalizeOne, scan } from './helpers.js';

type Binding = ResourceOf<'iam.binding'>;

const PROJECT = '//cloudresourcemanager.googleapis.com/projects/12345';
const mixed = () => gcpCorpus('cai-export-iam-policies-mixed.json') as Record<string, unknown>[];

describe('cloudresourcemanager.googleapis.com/Project → iam.binding', () => {
  it('makes a project out of its IAM_POLICY record alone (leftovers), bindings sorted', () => {
    const { resources, errors } = scan([{ document: mixed(), source: 'mixed.json' }]);
    expect(errors).toEqual([]);
    const project = byId(resources).get(PROJECT) as Binding;
    assertValidResource(project);
    expect(project).toMatchObject({
      kind: 'iam.binding',
      nativeType: 'cloudresourcemanager.googleapis.com/Project',
      name: '12345',
      account: '12345',
      region: null,
      tags: {},
    });
    expect(project.properties).toEqual({
      disabled: null,
      email: null,
      bindings: [
        {
          role: 'roles/iam.serviceAccountUser',
          members: [
            'serviceAccount:service-12345@notiam.gserviceaccount.com',
            'user:bad@notgoogle.com',
          ],
          condition: null,
        },
        {
          role: 'roles/owner',
          members: [
            'group:admins@google.com',
            'user:evil@notgoogle.com',
            'user:powerful@google.com',
          ],
          condition: null,
        },
        {
          role: 'roles/viewer',
          members: ['allAuthenticatedUsers', 'allUsers', 'user:okay@google.com'],
          condition: null,
        },
      ],
    });
  });

  const project = () => clone(nativeFixture('project-resource.json')) as Record<string, unknown>;
  const projectIam = () =>
    clone(must(mixed()[0])) as { name: string; iam_policy: Record<string, unknown> };

  it('has unknown bindings when the inventory holds no IAM policy for the project', () => {
    const resource = normalizeOne(project()) as Binding;
    assertValidResource(resource);
    expect(resource.properties.bindings).toBeNull();
    expect(resource.tags).toEqual({ env: 'prod' });
    expect(resource.account).toBe('847203951166');
  });

  it('has [] when the policy is known and empty ({etag} only)', () => {
    const p = project();
    const resource = normalizeOne([
      p,
      { name: p['name'], asset_type: p['asset_type'], iam_policy: { etag: 'ACAB' } },
    ]) as Binding;
    expect(resource.properties.bindings).toEqual([]);
  });

  it('merges RESOURCE and IAM_POLICY into one resource whatever their order', () => {
    const p = project();
    const iam = projectIam();
    iam.name = p['name'] as string;
    for (const documents of [
      [p, iam],
      [iam, p],
    ]) {
      const { resources } = scan(documents.map((document, i) => ({ document, source: `f${i}` })));
      expect(resources).toHaveLength(1);
      const merged = resources[0] as Binding;
      expect(merged.tags).toEqual({ env: 'prod' });
      expect(merged.properties.bindings?.map((b) => b.role)).toEqual([
        'roles/iam.serviceAccountUser',
        'roles/owner',
        'roles/viewer',
      ]);
    }
  });

  it('keeps a binding condition as its CEL expression', () => {
    const iam = projectIam();
    must((iam.iam_policy['bindings'] as Record<string, unknown>[])[1])['condition'] = {
      title: 'expires',
      expression: 'request.time < timestamp("2026-01-01T00:00:00Z")',
    };
    const resource = normalizeOne(iam) as Binding;
    expect(resource.properties.bindings?.[1]).toMatchObject({
      role: 'roles/owner',
      condition: 'request.time < timestamp("2026-01-01T00:00:00Z")',
    });
  });

  it.each([
    ['a binding without role', (b: Record<string, unknown>) => delete b['role']],
    [
      'a member that is not a string',
      (b: Record<string, unknown>) => (b['members'] = ['allUsers', 7]),
    ],
    [
      'a condition without expression',
      (b: Record<string, unknown>) => (b['condition'] = { title: 'x' }),
    ],
  ])('makes the whole policy unknown for %s (dropping it could hide allUsers)', (_, change) => {
    const iam = projectIam();
    change(must((iam.iam_policy['bindings'] as Record<string, unknown>[])[0]));
    expect((normalizeOne(iam) as Binding).properties.bindings).toBeNull();
  });
});

describe('iam.googleapis.com/ServiceAccount → iam.binding', () => {
  it('reads email, disabled (absent = false) and who may act as the account', () => {
    const resource = normalizeOne(nativeFixture('service-account-with-iam.json')) as Binding;
    assertValidResource(resource);
    expect(resource).toMatchObject({
      kind: 'iam.binding',
      name: '104598732615098234716',
      account: '847203951166',
    });
    expect(resource.properties).toEqual({
      email: 'ci-deployer@dd-fixtures-prod.iam.gserviceaccount.com',
      disabled: false,
      bindings: [
        {
          role: 'roles/iam.serviceAccountTokenCreator',
          members: ['group:release-engineers@acme.example'],
          condition:
            "request.time.getHours('Europe/Berlin') >= 8 && request.time.getHours('Europe/Berlin') <= 18",
        },
        {
          role: 'roles/iam.serviceAccountUser',
          members: ['user:ana.lopez@acme.example'],
          condition: null,
        },
      ],
    });
  });

  it('reads disabled: true', () => {
    const [account] = clone(nativeFixture('service-account-with-iam.json')) as {
      resource: { data: Record<string, unknown> };
    }[];
    must(account).resource.data['disabled'] = true;
    expect((normalizeOne(account) as Binding).properties).toMatchObject({
      disabled: true,
      bindings: null,
    });
  });
});
