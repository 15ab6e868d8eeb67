import type { IamBindingProperties } from '@drift-detective/resource-model';
import type { NormalizerInput } from './input.js';

/**
 * cloudresourcemanager.googleapis.com/Project → iam.binding: the project's IAM policy, which
 * every resource in the project inherits.
 * https://cloud.google.com/resource-manager/reference/rest/v1/projects/getIamPolicy
 * bindings null when the inventory holds no IAM policy for the project, [] when it holds an
 * empty one.
 */
export function normalizeProject(input: NormalizerInput): IamBindingProperties {
  return { bindings: input.iamBindings, disabled: null, email: null };
}
