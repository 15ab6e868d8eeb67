import { describe, expect, it } from 'vitest';
import { corpus, native, normalizeOne, propertiesOf } from '../helpers.js';

describe('AWS::Lambda::Function → serverless.function', () => {
  it('SelectResourceConfig row: service principal with an ArnLike AWS:SourceArn condition', () => {
    const resource = normalizeOne(corpus('aws/placebo-config-select-lambda-function.json'), 'row');
    expect(resource.id).toBe(
      'arn:aws:lambda:us-east-2:644160558196:function:omnissm-handle-registrations',
    );
    expect(resource.tags).toEqual({ 'lambda:createdBy': 'SAM' });
    const properties = propertiesOf(resource, 'serverless.function');
    expect(properties).toMatchObject({
      runtime: 'go1.x',
      identity: 'arn:aws:iam::644160558196:role/SSM-Register-API',
      iamBindings: null,
      httpsOnly: null,
      minimumTlsVersion: null,
    });
    expect(properties.policy).toHaveLength(4);
    expect(properties.policy?.[0]).toEqual({
      source: 'resourcePolicy',
      sid: 'omnissm-HandleRegistrationsRegisterIdPermissionTest-39ATCTCKW89Q',
      effect: 'Allow',
      actions: ['lambda:invokeFunction'],
      notActions: null,
      resources: ['arn:aws:lambda:us-east-2:644160558196:function:omnissm-handle-registrations'],
      notResources: null,
      principals: [{ type: 'Service', id: 'apigateway.amazonaws.com' }],
      notPrincipals: null,
      conditions: {
        ArnLike: {
          'AWS:SourceArn': [
            'arn:aws:execute-api:us-east-2:644160558196:ia2ajo0b3m/*/PATCH/register',
          ],
        },
      },
    });
  });

  it('rdk example (a JSON array of one item): no Policy entry means the policy is unknown', () => {
    const resource = normalizeOne(corpus('aws/rdk-ci-lambda-function.json'), 'rdk');
    expect(resource.tags).toEqual({ test: 'value' });
    expect(propertiesOf(resource, 'serverless.function')).toEqual({
      runtime: 'nodejs6.10',
      identity: 'arn:aws:iam::823362693882:role/lambda_basic_execution',
      policy: null,
      iamBindings: null,
      httpsOnly: null,
      minimumTlsVersion: null,
    });
  });

  it('public invoke permission: Principal "*" without condition', () => {
    const properties = propertiesOf(
      normalizeOne(native('dd-iam-002-violating-lambda-public.json'), 'public'),
      'serverless.function',
    );
    expect(properties.policy).toEqual([
      expect.objectContaining({
        effect: 'Allow',
        principals: [{ type: '*', id: '*' }],
        conditions: null,
      }),
    ]);
  });
});
