import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/**
 * What Security Hub accepts: up to 100 findings per batch, up to 240 KB per
 * finding, up to 6 MB per batch
 * (https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html).
 * "KB" and "MB" are read as the smaller decimal units, so a rounding
 * difference can never push a finding or a request over.
 */
export const MAX_FINDING_BYTES = 240_000;
export const MAX_BATCH_BYTES = 6_000_000;
export const MAX_BATCH_FINDINGS = 100;

/**
 * String and array limits of AwsSecurityFinding
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Recommendation.html,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Compliance.html,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ResourceDetails.html).
 */
export const LIMITS = {
  title: 256,
  description: 1024,
  recommendationText: 512,
  relatedRequirements: 32,
  productFieldValue: 2048,
  /** ResourceDetails.Other values; also used for the name fields of typed details. */
  detailValue: 1024,
} as const;

/**
 * Resource.Tags must follow the AWS tag limits: at most 50 tags, keys up to 128
 * and values up to 256 characters
 * (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions).
 */
export const TAG_LIMITS = { count: 50, key: 128, value: 256 } as const;

/** Bytes of the JSON text, as it goes over the wire. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * The first `max` characters (code points, so a surrogate pair is never cut in
 * half), ending in "…" when something was cut.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Thrown when a finding is over the size limit even with every optional part removed. */
export class FindingTooLargeError extends Error {
  constructor(
    readonly findingId: string,
    readonly bytes: number,
  ) {
    super(
      `ASFF finding ${findingId} is ${bytes} bytes without its optional parts; Security Hub takes at most ${MAX_FINDING_BYTES}`,
    );
    this.name = 'FindingTooLargeError';
  }
}

type Trim = (finding: AwsSecurityFinding) => AwsSecurityFinding;

function withoutResourceField(field: 'Details' | 'Tags'): Trim {
  return (finding) => ({
    ...finding,
    Resources: (finding.Resources ?? []).map((resource) => {
      const { [field]: _dropped, ...rest } = resource;
      return rest as typeof resource;
    }),
  });
}

/**
 * The optional parts, cheapest to lose first: resource details and tags are
 * context, the related requirements and the remediation text are guidance; what
 * identifies and classifies the finding is never removed.
 */
const TRIMS: readonly Trim[] = [
  withoutResourceField('Details'),
  withoutResourceField('Tags'),
  ({ Compliance, ...rest }) => ({
    ...rest,
    ...(Compliance ? { Compliance: { Status: Compliance.Status } } : {}),
  }),
  ({ Remediation: _dropped, ...rest }) => rest,
];

/**
 * The finding as it is if it fits in `maxBytes`, else with optional parts
 * removed until it does. Throws FindingTooLargeError when even the required
 * fields are too large (a resource id of hundreds of kilobytes).
 */
export function fitFinding(
  finding: AwsSecurityFinding,
  maxBytes: number = MAX_FINDING_BYTES,
): AwsSecurityFinding {
  let fitted = finding;
  for (const trim of TRIMS) {
    if (jsonBytes(fitted) <= maxBytes) return fitted;
    fitted = trim(fitted);
  }
  const bytes = jsonBytes(fitted);
  if (bytes <= maxBytes) return fitted;
  throw new FindingTooLargeError(finding.Id ?? '', bytes);
}
