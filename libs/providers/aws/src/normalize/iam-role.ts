import { decodePolicyDocument, policyStatements, TRUST_POLICY } from '../decode/policy-document.js';
import { has, nonEmptyString, own } from '../decode/values.js';
import {
  attachedPolicies,
  configurationArn,
  decodeInlineList,
  inlineStatements,
} from './iam-common.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::IAM::Role → iam.policy (principalType "role"): inline policies
 * (rolePolicyList), attached managed policies and the trust policy
 * (assumeRolePolicyDocument, URL-encoded in real items, an object in the rdk example).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleDetail.html
 */
export const iamRole: TypeNormalizer<'iam.policy'> = {
  kind: 'iam.policy',
  arn: ({ configuration }) => configurationArn(configuration),
  name: (configuration) => nonEmptyString(own(configuration, 'roleName')),

  decode({ configuration, supplementary }, source) {
    let decoded = decodeInlineList(configuration, 'rolePolicyList', source);
    if (has(decoded, 'assumeRolePolicyDocument')) {
      decoded = {
        ...decoded,
        assumeRolePolicyDocument: decodePolicyDocument(
          own(decoded, 'assumeRolePolicyDocument'),
          'assumeRolePolicyDocument',
          source,
        ),
      };
    }
    return { configuration: decoded, supplementary };
  },

  properties({ configuration, source }) {
    const trust = own(configuration, 'assumeRolePolicyDocument');
    return {
      principalType: 'role',
      managedBy: null,
      statements: inlineStatements(configuration, 'rolePolicyList', source),
      attachedPolicies: attachedPolicies(configuration),
      trustPolicy:
        trust === undefined || trust === null
          ? null
          : policyStatements(trust, 'trustPolicy', TRUST_POLICY, source),
      assignableScopes: null,
    };
  },
};
