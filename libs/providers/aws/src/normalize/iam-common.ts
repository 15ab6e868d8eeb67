import { NormalizeError, type PolicyStatement } from '@drift-detective/resource-model';
import {
  decodePolicyDocument,
  IDENTITY_POLICY,
  policyStatements,
} from '../decode/policy-document.js';
import {
  compareStrings,
  has,
  isRecord,
  nonEmptyString,
  own,
  type JsonObject,
} from '../decode/values.js';

/**
 * Shared by the IAM role, user and policy normalizers. Config copies IAM
 * documents as IAM returns them: URL-encoded JSON
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleDetail.html).
 */

/** The configuration with the documents of an inline policy list decoded. */
export function decodeInlineList(
  configuration: JsonObject,
  listKey: string,
  source: string,
): JsonObject {
  const list = own(configuration, listKey);
  if (!Array.isArray(list)) return configuration;
  const decoded = list.map((entry, index) =>
    isRecord(entry) && has(entry, 'policyDocument')
      ? {
          ...entry,
          policyDocument: decodePolicyDocument(
            own(entry, 'policyDocument'),
            `${listKey}[${index}].policyDocument`,
            source,
          ),
        }
      : entry,
  );
  return { ...configuration, [listKey]: decoded };
}

/**
 * Statements of every inline policy, labelled "inline:<policyName>", policies
 * in name order, statements in document order. The list is required: without
 * it the principal's inline grants are unknown, and iam.policy statements
 * cannot say "unknown".
 */
export function inlineStatements(
  configuration: JsonObject,
  listKey: string,
  source: string,
): PolicyStatement[] {
  const list = own(configuration, listKey);
  if (!Array.isArray(list)) {
    throw new NormalizeError(source, `${listKey} is missing: the inline policies are unknown`);
  }
  const policies = list.map((entry, index) => {
    if (!isRecord(entry)) throw new NormalizeError(source, `${listKey}[${index}] is not an object`);
    const name = nonEmptyString(own(entry, 'policyName')) ?? `(unnamed ${index})`;
    return { name, document: own(entry, 'policyDocument') };
  });
  policies.sort((a, b) => compareStrings(a.name, b.name));
  return policies.flatMap(({ name, document }) =>
    policyStatements(document, `inline:${name}`, IDENTITY_POLICY, source),
  );
}

/**
 * attachedManagedPolicies [{policyArn, policyName}] as {id, name}, sorted by id.
 * null when the list is missing or an entry has no ARN (an unreadable entry
 * could be AdministratorAccess).
 */
export function attachedPolicies(
  configuration: JsonObject,
): { id: string; name: string | null }[] | null {
  const list = own(configuration, 'attachedManagedPolicies');
  if (!Array.isArray(list)) return null;
  const attached: { id: string; name: string | null }[] = [];
  for (const entry of list) {
    const id = isRecord(entry) ? nonEmptyString(own(entry, 'policyArn')) : null;
    if (!isRecord(entry) || id === null) return null;
    attached.push({ id, name: nonEmptyString(own(entry, 'policyName')) });
  }
  return attached.sort((a, b) => compareStrings(a.id, b.id));
}

/** The configuration's own ARN (IAM items always carry it in configuration.arn). */
export function configurationArn(configuration: JsonObject): string | null {
  const arn = nonEmptyString(own(configuration, 'arn'));
  return arn !== null && arn.startsWith('arn:') ? arn : null;
}
