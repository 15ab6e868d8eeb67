import { NormalizeError } from '@drift-detective/resource-model';
import { parseArn } from '../decode/arn.js';
import {
  decodePolicyDocument,
  IDENTITY_POLICY,
  policyStatements,
} from '../decode/policy-document.js';
import { has, isRecord, nonEmptyString, own, type JsonObject } from '../decode/values.js';
import { configurationArn } from './iam-common.js';
import type { TypeNormalizer } from './types.js';

/**
 * AWS::IAM::Policy → iam.policy (principalType "policy"): the statements of the
 * default version in policyVersionList. Its document is URL-encoded JSON in
 * real items (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html),
 * a decoded object or an array holding one document in the rdk example.
 */
export const iamPolicy: TypeNormalizer<'iam.policy'> = {
  kind: 'iam.policy',
  arn: ({ configuration }) => configurationArn(configuration),
  name: (configuration) => nonEmptyString(own(configuration, 'policyName')),

  decode({ configuration, supplementary }, source) {
    const versions = own(configuration, 'policyVersionList');
    if (!Array.isArray(versions)) return { configuration, supplementary };
    const decoded = versions.map((version, index) =>
      isRecord(version) && has(version, 'document')
        ? {
            ...version,
            document: decodePolicyDocument(
              own(version, 'document'),
              `policyVersionList[${index}].document`,
              source,
            ),
          }
        : version,
    );
    return { configuration: { ...configuration, policyVersionList: decoded }, supplementary };
  },

  properties({ configuration, id, source }) {
    const version = defaultVersion(configuration, source);
    const document = own(version, 'document');
    if (document === undefined || document === null) {
      throw new NormalizeError(source, 'the default policy version has no document');
    }
    // AWS managed policies live in the "aws" account: arn:aws:iam::aws:policy/…
    const owner = parseArn(id)?.account;
    return {
      principalType: 'policy',
      managedBy: owner === undefined ? null : owner === 'aws' ? 'AWS' : 'Customer',
      statements: policyStatements(document, `managed:${id}`, IDENTITY_POLICY, source),
      attachedPolicies: null,
      trustPolicy: null,
      assignableScopes: null,
    };
  },
};

/** The version flagged isDefaultVersion, else the one named by defaultVersionId. */
function defaultVersion(configuration: JsonObject, source: string): JsonObject {
  const versions = own(configuration, 'policyVersionList');
  if (!Array.isArray(versions)) {
    throw new NormalizeError(
      source,
      'policyVersionList is missing: the policy document is unknown',
    );
  }
  const flagged = versions.filter((v) => isRecord(v) && own(v, 'isDefaultVersion') === true);
  if (flagged.length === 1 && isRecord(flagged[0])) return flagged[0];
  const defaultId = nonEmptyString(own(configuration, 'defaultVersionId'));
  const named = versions.filter(
    (v) => isRecord(v) && defaultId !== null && own(v, 'versionId') === defaultId,
  );
  if (flagged.length === 0 && named.length === 1 && isRecord(named[0])) return named[0];
  throw new NormalizeError(source, 'policyVersionList names no single default version');
}
