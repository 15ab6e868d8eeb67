import { nonEmptyString, own } from '../decode/values.js';
import {
  attachedPolicies,
  configurationArn,
  decodeInlineList,
  inlineStatements,
} from './iam-common.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::IAM::User → iam.policy (principalType "user"): inline policies
 * (userPolicyList) and attached managed policies. Group memberships (groupList)
 * are left out: what a group grants is the group's own record.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UserDetail.html
 */
export const iamUser: TypeNormalizer<'iam.policy'> = {
  kind: 'iam.policy',
  arn: ({ configuration }) => configurationArn(configuration),
  name: (configuration) => nonEmptyString(own(configuration, 'userName')),

  decode: ({ configuration, supplementary }, source) => ({
    configuration: decodeInlineList(configuration, 'userPolicyList', source),
    supplementary,
  }),

  properties: ({ configuration, source }) => ({
    principalType: 'user',
    managedBy: null,
    statements: inlineStatements(configuration, 'userPolicyList', source),
    attachedPolicies: attachedPolicies(configuration),
    trustPolicy: null,
    assignableScopes: null,
  }),
};
