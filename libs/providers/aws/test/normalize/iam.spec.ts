import type { IamPolicyProperties, PolicyStatement } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { corpus, defined, encodedStrings, native, normalizeOne, propertiesOf } from '../helpers.js';

function iam(document: unknown, source: string): IamPolicyProperties {
  return propertiesOf(normalizeOne(document, source), 'iam.policy');
}

function statement(overrides: Partial<PolicyStatement>): PolicyStatement {
  return {
    source: '',
    sid: null,
    effect: 'Allow',
    actions: null,
    notActions: null,
    resources: null,
    notResources: null,
    principals: null,
    notPrincipals: null,
    conditions: null,
    ...overrides,
  };
}

const ADMIN = { effect: 'Allow' as const, actions: ['*'], resources: ['*'] };

describe('AWS::IAM::Policy → iam.policy (principalType policy)', () => {
  it.each([
    {
      name: 'URL-encoded document of the only, default version',
      file: 'dd-iam-001-violating-policy-admin.json',
      statements: [
        statement({
          source: 'managed:arn:aws:iam::123456789012:policy/break-glass-admin',
          ...ADMIN,
        }),
      ],
    },
    {
      name: 'two versions: the default one (v2) counts, not the older admin version',
      file: 'dd-iam-001-compliant-policy-scoped.json',
      statements: [
        statement({
          source: 'managed:arn:aws:iam::123456789012:policy/reports-reader',
          sid: 'ReadReports',
          actions: ['s3:GetObject', 's3:ListBucket'],
          resources: ['arn:aws:s3:::acme-reports-locked', 'arn:aws:s3:::acme-reports-locked/*'],
        }),
      ],
    },
  ])('$name', ({ file, statements, name }) => {
    expect(iam(native(file), name)).toEqual({
      principalType: 'policy',
      managedBy: 'Customer',
      statements,
      attachedPolicies: null,
      trustPolicy: null,
      assignableScopes: null,
    });
  });

  it('rdk example: the document is an array holding one decoded document', () => {
    const properties = iam(corpus('aws/rdk-ci-iam-policy.json'), 'rdk policy');
    expect(properties.statements).toEqual([
      statement({
        source: 'managed:arn:aws:iam::264683526309:policy/ELB-policy',
        sid: 'Stmt1461949544000',
        actions: ['elasticloadbalancing:Describe*'],
        resources: ['*'],
      }),
    ]);
  });

  it('marks policies of the "aws" account as AWS managed', () => {
    const item = structuredClone(native('dd-iam-001-violating-policy-admin.json')) as Record<
      string,
      unknown
    >;
    item['ARN'] = 'arn:aws:iam::aws:policy/AdministratorAccess';
    expect(iam(item, 'aws managed').managedBy).toBe('AWS');
  });

  it('falls back to defaultVersionId when no version is flagged isDefaultVersion', () => {
    const item = structuredClone(native('dd-iam-001-compliant-policy-scoped.json')) as {
      configuration: { policyVersionList: Record<string, unknown>[] };
    };
    for (const version of item.configuration.policyVersionList) delete version['isDefaultVersion'];
    expect(iam(item, 'no flags').statements[0]?.sid).toBe('ReadReports');
  });

  it('decodes the URL-encoded documents in native', () => {
    const resource = normalizeOne(native('dd-iam-001-violating-policy-admin.json'), 'native');
    expect(encodedStrings(resource.native)).toEqual([]);
    expect(resource.native).toMatchObject({
      configuration: {
        policyVersionList: [
          { document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] } },
        ],
      },
    });
  });

  it('refuses a truncated URL-encoded document', () => {
    const item = structuredClone(native('dd-iam-001-violating-policy-admin.json')) as {
      configuration: { policyVersionList: { document: string }[] };
    };
    const version = defined(item.configuration.policyVersionList[0]);
    version.document = version.document.slice(0, 30);
    expect(() => normalizeOne(item, 'truncated')).toThrow(/policyVersionList\[0\]\.document/);
  });

  it('refuses a statement without Resource: an identity policy must name one', () => {
    const item = structuredClone(native('dd-iam-001-violating-policy-admin.json')) as {
      configuration: { policyVersionList: { document: string }[] };
    };
    defined(item.configuration.policyVersionList[0]).document = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }),
    );
    expect(() => normalizeOne(item, 'no resource')).toThrow(/neither Resource nor NotResource/);
  });
});

describe('AWS::IAM::Role → iam.policy (principalType role)', () => {
  it('inline admin policy, URL-encoded trust policy, attached managed policy', () => {
    expect(iam(native('dd-iam-001-violating-role-inline-admin.json'), 'role')).toEqual({
      principalType: 'role',
      managedBy: null,
      statements: [statement({ source: 'inline:app-server-inline', ...ADMIN })],
      attachedPolicies: [
        {
          id: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
          name: 'AmazonSSMManagedInstanceCore',
        },
      ],
      trustPolicy: [
        statement({
          source: 'trustPolicy',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', id: 'ec2.amazonaws.com' }],
        }),
      ],
      assignableScopes: null,
    });
  });

  it('SelectResourceConfig row: URL-encoded trust policy, no inline policy', () => {
    const properties = iam(corpus('aws/placebo-config-select-iam-role.json'), 'role row');
    expect(properties.statements).toEqual([]);
    expect(properties.attachedPolicies).toEqual([
      { id: 'arn:aws:iam::644160558196:policy/DeleteMe', name: 'DeleteMe' },
    ]);
    expect(properties.trustPolicy).toEqual([
      statement({
        source: 'trustPolicy',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', id: 'lambda.amazonaws.com' }],
      }),
    ]);
  });

  it('rdk example: decoded trust policy object, attached policies sorted by ARN', () => {
    const properties = iam(corpus('aws/rdk-ci-iam-role.json'), 'rdk role');
    expect(properties.trustPolicy?.[0]?.principals).toEqual([
      { type: 'Service', id: 'config.amazonaws.com' },
    ]);
    expect(properties.attachedPolicies?.map((p) => p.id)).toEqual([
      'arn:aws:iam::264683526309:policy/ELB-policy',
      'arn:aws:iam::264683526309:policy/service-role/config-role-ezcrc2-AWSConfigDeliveryPermissions-us-west-2',
      'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole',
    ]);
  });

  it('refuses a role item without rolePolicyList: its inline grants would be unknown', () => {
    const item = structuredClone(native('dd-iam-001-violating-role-inline-admin.json')) as {
      configuration: Record<string, unknown>;
    };
    delete item.configuration['rolePolicyList'];
    expect(() => normalizeOne(item, 'no inline list')).toThrow(/rolePolicyList is missing/);
  });
});

describe('AWS::IAM::User → iam.policy (principalType user)', () => {
  it('rdk example: inline policy as an array of documents, AdministratorAccess attached', () => {
    const properties = iam(corpus('aws/rdk-ci-iam-user.json'), 'rdk user');
    expect(properties.principalType).toBe('user');
    expect(properties.statements).toEqual([
      statement({
        source: 'inline:policygen-johndoe-201611060951',
        sid: 'Stmt1478454695000',
        actions: ['codedeploy:*'],
        resources: ['*'],
      }),
    ]);
    expect(properties.attachedPolicies).toContainEqual({
      id: 'arn:aws:iam::aws:policy/AdministratorAccess',
      name: 'AdministratorAccess',
    });
    expect(properties.trustPolicy).toBeNull();
  });

  it('SelectResourceConfig row: group membership only, no policies', () => {
    expect(iam(corpus('aws/placebo-config-select-iam-user.json'), 'user row')).toEqual({
      principalType: 'user',
      managedBy: null,
      statements: [],
      attachedPolicies: [],
      trustPolicy: null,
      assignableScopes: null,
    });
  });
});
