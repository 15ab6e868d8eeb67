import type { RecordingGroup } from '@aws-sdk/client-config-service';

/**
 * The global IAM resource types: recorded in one Region with awsRegion
 * "global", and left out of the ALL_SUPPORTED_RESOURCE_TYPES strategy unless
 * includeGlobalResourceTypes is true
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html,
 * https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html).
 */
export const GLOBAL_IAM_TYPES: readonly string[] = [
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
];

/** The awsRegion Config writes on items of the global IAM types. */
export const GLOBAL_REGION = 'global';

/**
 * Whether a recorder with this recording group records a resource type, as
 * https://docs.aws.amazon.com/config/latest/APIReference/API_RecordingGroup.html
 * and API_RecordingStrategy.html put it:
 * - ALL_SUPPORTED_RESOURCE_TYPES (or allSupported): every type but the global
 *   IAM types, those only with includeGlobalResourceTypes;
 * - INCLUSION_BY_RESOURCE_TYPES (or a resourceTypes list): the listed types,
 *   global IAM types included when listed, whatever includeGlobalResourceTypes says;
 * - EXCLUSION_BY_RESOURCE_TYPES: every type not excluded, the global IAM types
 *   too ("includeGlobalResourceTypes has no impact" on it).
 * A group it cannot read records nothing: claiming a type it might not record
 * would let a sweep resolve that type's findings as deleted.
 */
export function recordsType(group: RecordingGroup | undefined, type: string): boolean {
  if (group === undefined) return false;
  const strategy =
    group.recordingStrategy?.useOnly ??
    (group.allSupported === true ? 'ALL_SUPPORTED_RESOURCE_TYPES' : 'INCLUSION_BY_RESOURCE_TYPES');
  switch (strategy) {
    case 'ALL_SUPPORTED_RESOURCE_TYPES':
      return GLOBAL_IAM_TYPES.includes(type) ? group.includeGlobalResourceTypes === true : true;
    case 'INCLUSION_BY_RESOURCE_TYPES':
      return listed(group.resourceTypes).includes(type);
    case 'EXCLUSION_BY_RESOURCE_TYPES':
      return !listed(group.exclusionByResourceTypes?.resourceTypes).includes(type);
    default:
      return false;
  }
}

function listed(types: readonly string[] | undefined): readonly string[] {
  return types ?? [];
}
