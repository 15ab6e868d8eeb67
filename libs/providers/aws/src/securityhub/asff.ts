import type {
  AwsSecurityFinding,
  ComplianceStatus,
  RecordState,
  SeverityLabel,
  WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import type { CausingChange } from '@drift-detective/findings';
import { fitFinding, LIMITS, truncate } from './asff-limits.js';
import { asffResource, hubRegion, partitionFor, type AsffResourceSource } from './asff-resource.js';

/**
 * What the ASFF mapping reads: the fields a finding record (the pipeline's
 * FindingRecord) and a scan finding (the CLI's ScanFinding) both have. The
 * times are optional because each names them its own way: a record keeps
 * firstSeen and lastSeen, a scan finding only observedAt.
 */
export interface AsffSource extends AsffResourceSource {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly status: 'ACTIVE' | 'RESOLVED' | 'SUPPRESSED';
  readonly account: string;
  readonly message: string;
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  readonly remediation: string;
  readonly resolution?: string | null | undefined;
  readonly firstSeen?: string | undefined;
  readonly lastSeen?: string | undefined;
  readonly observedAt?: string | undefined;
  /** The change that caused the violation, when a change event said (who, when, which fields). */
  readonly change?: CausingChange | undefined;
}

export interface AsffOptions {
  /** UpdatedAt: when this version of the finding is sent (ISO 8601). */
  readonly now: string;
  /** Where findings of global resources (IAM) go. */
  readonly homeRegion: string;
}

/** The ASFF Id of a finding: stable across runs, so a re-import updates instead of duplicating. */
export function asffId(findingId: string): string {
  return `drift-detective/${findingId}`;
}

/**
 * The account's default product: findings a customer account imports itself
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-providers.html#securityhub-custom-providers-bfi-reqs).
 */
export function defaultProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

const SEVERITY_LABELS: ReadonlySet<string> = new Set([
  'INFORMATIONAL',
  'LOW',
  'MEDIUM',
  'HIGH',
  'CRITICAL',
]);

/** Framework keys of the rule metadata → the names RelatedRequirements are written with. */
const FRAMEWORK_NAMES: Readonly<Record<string, string>> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark v3.0.0',
  'cis-aws-1.4': 'CIS AWS Foundations Benchmark v1.4.0',
  'nist-800-53': 'NIST 800-53 Rev. 5',
};

const isCis = (framework: string) => framework.startsWith('cis-aws');
const isNist = (framework: string) => framework === 'nist-800-53';

/**
 * Types from the ASFF taxonomy
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-type-taxonomy.html).
 */
function findingTypes(frameworks: readonly string[]): string[] {
  const standards = 'Software and Configuration Checks/Industry and Regulatory Standards';
  const types: string[] = [];
  if (frameworks.some(isCis)) types.push(`${standards}/CIS AWS Foundations Benchmark`);
  if (frameworks.some(isNist)) types.push(`${standards}/NIST 800-53 Controls (USA)`);
  if (types.length === 0)
    types.push('Software and Configuration Checks/AWS Security Best Practices');
  return types;
}

/** At most 32 RelatedRequirements (API_Compliance). */
function relatedRequirements(frameworks: AsffSource['frameworks']): string[] {
  return Object.entries(frameworks)
    .filter(([framework]) => isCis(framework) || isNist(framework))
    .flatMap(([framework, ids]) =>
      ids.map((id) => `${FRAMEWORK_NAMES[framework] ?? framework}/${id}`),
    )
    .slice(0, LIMITS.relatedRequirements);
}

/** Compliance.Status: the rule fails while the finding is open, passes once it resolved. */
function complianceStatus(status: AsffSource['status']): ComplianceStatus {
  return status === 'RESOLVED' ? 'PASSED' : 'FAILED';
}

/** RecordState: a resolved finding is archived, not deleted, so its history stays. */
function recordState(status: AsffSource['status']): RecordState {
  return status === 'RESOLVED' ? 'ARCHIVED' : 'ACTIVE';
}

/**
 * Workflow.Status for a finding Security Hub has not seen yet. BatchImportFindings
 * cannot change Workflow once a finding exists
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html),
 * so later changes go through BatchUpdateFindings (see workflow.ts).
 */
export function workflowStatusOf(status: AsffSource['status']): WorkflowStatus {
  if (status === 'RESOLVED') return 'RESOLVED';
  if (status === 'SUPPRESSED') return 'SUPPRESSED';
  return 'NEW';
}

/** A required string (pattern .*\S.*): the first non-blank candidate, cut to the limit. */
function required(max: number, ...candidates: string[]): string {
  return truncate(candidates.find((c) => c.trim() !== '') ?? '-', max);
}

/**
 * One finding in the AWS Security Finding Format, as BatchImportFindings takes it
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html),
 * within the per-finding size limit (optional parts trimmed when needed; throws
 * FindingTooLargeError when even the required ones are over).
 *
 * Severity and Types are also sent as FindingProviderFields: after a finding is
 * created, a provider updates those only there
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_FindingProviderFields.html).
 */
export function toAsff(finding: AsffSource, options: AsffOptions): AwsSecurityFinding {
  const region = hubRegion(finding.region, options.homeRegion);
  const partition = partitionFor(finding.resourceId, region);
  const firstSeen = finding.firstSeen ?? finding.observedAt ?? options.now;
  const lastSeen = finding.lastSeen ?? finding.observedAt ?? firstSeen;
  const severity: SeverityLabel = SEVERITY_LABELS.has(finding.severity)
    ? (finding.severity as SeverityLabel)
    : 'INFORMATIONAL';
  const types = findingTypes(Object.keys(finding.frameworks));
  const requirements = relatedRequirements(finding.frameworks);
  const remediation = finding.remediation.trim();
  return fitFinding({
    SchemaVersion: '2018-10-08',
    Id: asffId(finding.id),
    ProductArn: defaultProductArn(partition, region, finding.account),
    GeneratorId: finding.ruleId,
    AwsAccountId: finding.account,
    Types: types,
    CreatedAt: firstSeen,
    FirstObservedAt: firstSeen,
    LastObservedAt: lastSeen,
    UpdatedAt: options.now,
    Severity: { Label: severity },
    Title: required(LIMITS.title, `${finding.ruleId} ${finding.title}`),
    Description: required(LIMITS.description, finding.message, finding.title, finding.ruleId),
    ...(remediation !== ''
      ? {
          Remediation: {
            Recommendation: { Text: truncate(remediation, LIMITS.recommendationText) },
          },
        }
      : {}),
    ProductFields: {
      'drift-detective/FindingId': finding.id,
      'drift-detective/RuleId': truncate(finding.ruleId, LIMITS.productFieldValue),
      ...(finding.resolution
        ? { 'drift-detective/Resolution': truncate(finding.resolution, LIMITS.productFieldValue) }
        : {}),
      ...changeFields(finding.change),
    },
    Resources: [asffResource(finding, options.homeRegion)],
    Compliance: {
      Status: complianceStatus(finding.status),
      ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}),
    },
    RecordState: recordState(finding.status),
    Workflow: { Status: workflowStatusOf(finding.status) },
    FindingProviderFields: {
      Severity: { Label: severity, Original: truncate(finding.severity, 64) },
      Types: types,
    },
  });
}

/** A value as the change field shows it: JSON, short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * The change that caused the violation, as ProductFields (string values,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html):
 * when and how it changed, who changed it, the fields before → after, and the
 * CloudTrail event ids AWS Config related to it — where an analyst starts.
 */
function changeFields(change: CausingChange | undefined): Record<string, string> {
  if (!change) return {};
  const fields: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value) fields[`drift-detective/${key}`] = truncate(value, LIMITS.productFieldValue);
  };
  put('ChangedAt', change.changedAt);
  put('ChangedBy', change.changedBy);
  put('ChangeType', change.changeType);
  put(
    'ChangedFields',
    change.fields?.map((f) => `${f.path}: ${shown(f.before)} → ${shown(f.after)}`).join('; '),
  );
  put('CloudTrailEventIds', change.relatedEvents?.join(','));
  return fields;
}
