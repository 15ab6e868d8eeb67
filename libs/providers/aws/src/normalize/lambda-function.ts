import { NormalizeError, type PolicyStatement } from '@drift-detective/resource-model';
import { regionalArn } from '../decode/arn.js';
import { policyStatements, RESOURCE_POLICY } from '../decode/policy-document.js';
import { isRecord, nonEmptyString, own, type JsonObject } from '../decode/values.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::Lambda::Function → serverless.function: runtime, execution role and the
 * resource-based policy (supplementaryConfiguration.Policy, JSON text)
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
 * A function without a Policy entry may have no policy or an unrecorded one: unknown.
 */
export const lambdaFunction: TypeNormalizer<'serverless.function'> = {
  kind: 'serverless.function',

  arn: ({ configuration, region, account }) => {
    const name = nonEmptyString(own(configuration, 'functionName'));
    return (
      nonEmptyString(own(configuration, 'functionArn')) ??
      regionalArn('lambda', region, account, name === null ? null : `function:${name}`)
    );
  },

  name: (configuration) => nonEmptyString(own(configuration, 'functionName')),

  properties: ({ configuration, supplementary, source }) => ({
    runtime: nonEmptyString(own(configuration, 'runtime')),
    identity: nonEmptyString(own(configuration, 'role')),
    policy: resourcePolicy(supplementary, source),
    iamBindings: null,
    httpsOnly: null,
    minimumTlsVersion: null,
  }),
};

function resourcePolicy(
  supplementary: JsonObject | null,
  source: string,
): PolicyStatement[] | null {
  const policy = supplementary ? own(supplementary, 'Policy') : undefined;
  if (policy === undefined || policy === null) return null;
  if (!isRecord(policy) && !Array.isArray(policy)) {
    throw new NormalizeError(source, 'supplementaryConfiguration.Policy is not a resource policy');
  }
  return policyStatements(policy, 'resourcePolicy', RESOURCE_POLICY, source);
}
