import type { IamBindingProperties } from '@drift-detective/resource-model';
import { text } from '../decode/values.js';
import type { NormalizerInput } from './input.js';

/**
 * iam.googleapis.com/ServiceAccount → iam.binding: its IAM policy says who may act as the
 * account (roles/iam.serviceAccountUser, …TokenCreator).
 * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts
 */
export function normalizeServiceAccount(input: NormalizerInput): IamBindingProperties {
  const { data } = input;
  return {
    bindings: input.iamBindings,
    disabled: data === null ? null : disabled(data['disabled']),
    email: text(data?.['email']),
  };
}

/** `disabled` is output only and left out while false (proto3 JSON omits defaults). */
function disabled(value: unknown): boolean | null {
  if (value === undefined || value === null) return false;
  return typeof value === 'boolean' ? value : null;
}
