import { NormalizeError } from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import {
  decodePolicyDocument,
  IDENTITY_POLICY,
  policyStatements,
  RESOURCE_POLICY,
  TRUST_POLICY,
} from '../../src/decode/policy-document.js';

const DOC = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
};

describe('decodePolicyDocument', () => {
  it.each([
    { name: 'URL-encoded JSON (IAM)', input: encodeURIComponent(JSON.stringify(DOC)) },
    { name: 'JSON text', input: JSON.stringify(DOC) },
    { name: 'pretty-printed JSON text (KMS)', input: JSON.stringify(DOC, null, 2) },
    { name: 'a decoded object', input: DOC },
  ])('$name', ({ input }) => {
    expect(decodePolicyDocument(input, 'doc', 'src')).toEqual(DOC);
  });

  it('keeps an array of documents (rdk example) as an array of decoded documents', () => {
    expect(decodePolicyDocument([encodeURIComponent(JSON.stringify(DOC))], 'doc', 'src')).toEqual([
      DOC,
    ]);
  });

  it('keeps a literal "%" inside JSON text (no URL decoding of plain JSON)', () => {
    const doc = { Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/100%' } };
    expect(decodePolicyDocument(JSON.stringify(doc), 'doc', 'src')).toEqual(doc);
  });

  it.each([
    { name: 'truncated URL encoding', input: '%7B%22Version%22%3A%2' },
    { name: 'truncated JSON', input: '{"Version":"2012-10-17","Statement":[' },
    { name: 'a number', input: 42 },
    { name: 'JSON that is no document', input: '"text"' },
  ])('refuses $name', ({ input }) => {
    expect(() => decodePolicyDocument(input, 'doc', 'src')).toThrow(NormalizeError);
  });
});

describe('policyStatements', () => {
  it('lists single strings as one-item lists and principals as {type, id}', () => {
    const [statement] = policyStatements(
      {
        Statement: [
          {
            Sid: 'x',
            Effect: 'Deny',
            NotAction: 'iam:*',
            NotResource: ['arn:aws:iam::*:role/admin'],
            Principal: { AWS: ['arn:aws:iam::1:root', '*'], Service: 'ec2.amazonaws.com' },
            Condition: {
              Bool: { 'aws:SecureTransport': false },
              NumericLessThan: { 's3:max-keys': 10 },
            },
          },
        ],
      },
      'bucketPolicy',
      RESOURCE_POLICY,
      'src',
    );
    expect(statement).toEqual({
      source: 'bucketPolicy',
      sid: 'x',
      effect: 'Deny',
      actions: null,
      notActions: ['iam:*'],
      resources: null,
      notResources: ['arn:aws:iam::*:role/admin'],
      principals: [
        { type: 'AWS', id: 'arn:aws:iam::1:root' },
        { type: 'AWS', id: '*' },
        { type: 'Service', id: 'ec2.amazonaws.com' },
      ],
      notPrincipals: null,
      conditions: {
        Bool: { 'aws:SecureTransport': ['false'] },
        NumericLessThan: { 's3:max-keys': ['10'] },
      },
    });
  });

  it('turns "Principal": "*" into [{type: "*", id: "*"}]', () => {
    const [statement] = policyStatements(
      { Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } },
      'trustPolicy',
      TRUST_POLICY,
      'src',
    );
    expect(statement?.principals).toEqual([{ type: '*', id: '*' }]);
  });

  it.each([
    {
      name: 'an Effect other than Allow/Deny',
      statement: { Effect: 'allow', Action: '*', Resource: '*' },
      problem: /Effect/,
    },
    {
      name: 'neither Action nor NotAction',
      statement: { Effect: 'Allow', Resource: '*' },
      problem: /Action and NotAction/,
    },
    {
      name: 'both Action and NotAction',
      statement: { Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' },
      problem: /Action and NotAction/,
    },
    {
      name: 'an Action that is no string list',
      statement: { Effect: 'Allow', Action: ['*', 3], Resource: '*' },
      problem: /Action is neither/,
    },
    {
      name: 'a Principal that is neither "*" nor a map',
      statement: { Effect: 'Allow', Action: '*', Resource: '*', Principal: 'someone' },
      problem: /Principal is neither/,
    },
    {
      name: 'a Condition value that is no text',
      statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { k: [{}] } } },
      problem: /Condition\.Bool\.k/,
    },
  ])(
    'refuses a statement with $name (dropping it could hide a grant)',
    ({ statement, problem }) => {
      expect(() =>
        policyStatements({ Statement: [statement] }, 'inline:x', IDENTITY_POLICY, 'src'),
      ).toThrow(problem);
    },
  );

  it('requires a principal in resource policies and a resource in identity policies', () => {
    const noPrincipal = { Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } };
    expect(() => policyStatements(noPrincipal, 'bucketPolicy', RESOURCE_POLICY, 'src')).toThrow(
      /Principal/,
    );
    expect(policyStatements(noPrincipal, 'inline:x', IDENTITY_POLICY, 'src')).toHaveLength(1);
    const noResource = { Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' } };
    expect(policyStatements(noResource, 'trustPolicy', TRUST_POLICY, 'src')).toHaveLength(1);
    expect(() => policyStatements(noResource, 'inline:x', IDENTITY_POLICY, 'src')).toThrow(
      /Resource/,
    );
  });

  it('refuses a document without Statement', () => {
    expect(() =>
      policyStatements({ Version: '2012-10-17' }, 'inline:x', IDENTITY_POLICY, 'src'),
    ).toThrow(/no Statement/);
  });
});
