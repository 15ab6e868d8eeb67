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
 * The Regions where AWS Config was available before February 2022: the only
 * ones whose recorder can record the global IAM types, whatever its recording
 * group says. "You cannot record the global IAM resource types in Regions
 * supported by AWS Config after February 2022"
 * (https://docs.aws.amazon.com/config/latest/APIReference/API_ExclusionByResourceTypes.html,
 * https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html).
 * A closed list: every Region launched since is one that cannot.
 */
const REGIONS_RECORDING_GLOBAL_IAM: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-north-1',
  'me-south-1',
  'sa-east-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
]);

/** Whether a recorder in this Region can record the global IAM types at all. */
export function canRecordGlobalIam(region: string): boolean {
  return REGIONS_RECORDING_GLOBAL_IAM.has(region);
}

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
  if (typeof group !== 'object' || group === null) return false;
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

/** A list of types; anything else lists none (the SDK passes on what the wire held, lists or not). */
function listed(types: readonly string[] | undefined): readonly string[] {
  return Array.isArray(types) ? types : [];
}
