import type {
  AssessmentStatus,
  SecurityAssessment,
  SecurityAssessmentMetadataResponse,
} from '@azure/arm-security';
import type { FindingRecord } from '@drift-detective/findings';

/**
 * Finding records as Defender for Cloud custom assessments (api-version
 * 2021-06-01): one assessment metadata per rule (the recommendation) and one
 * assessment per finding on its resource (the result).
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments-metadata/create-in-subscription
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments/create-or-update
 */

/** What a finding needs for its metadata: the rule's side of it. */
export type RuleSource = Pick<
  FindingRecord,
  'ruleId' | 'title' | 'severity' | 'remediation' | 'kind'
>;

/** What a finding needs for its assessment. */
export type AssessmentSource = Pick<
  FindingRecord,
  | 'id'
  | 'ruleId'
  | 'severity'
  | 'message'
  | 'status'
  | 'resolution'
  | 'resolvedAt'
  | 'waiver'
  | 'firstSeen'
  | 'lastSeen'
  | 'change'
>;

/** Our cap on text fields (descriptions, additionalData values); the contract states none. */
const MAX_TEXT = 4000;

function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Defender's severities are Low, Medium and High: CRITICAL becomes High and
 * INFORMATIONAL Low; the finding's own severity stays in additionalData.
 * (assessmentMetadata.json, SecurityAssessmentMetadataProperties.severity)
 */
export function defenderSeverity(severity: string): 'Low' | 'Medium' | 'High' {
  switch (severity.toUpperCase()) {
    case 'CRITICAL':
    case 'HIGH':
      return 'High';
    case 'MEDIUM':
      return 'Medium';
    default:
      return 'Low';
  }
}

type Category = 'Compute' | 'Networking' | 'Data' | 'IdentityAndAccess';

/** By rule family (the id's middle part, a public contract), so a rule's category never depends on which of its findings came first. */
const FAMILY_CATEGORIES: Readonly<Record<string, Category>> = {
  STORAGE: 'Data',
  DB: 'Data',
  KMS: 'Data',
  NET: 'Networking',
  IAM: 'IdentityAndAccess',
  COMPUTE: 'Compute',
};

/** For a rule of another family, by the kind of its resource. */
const KIND_CATEGORIES: Readonly<Record<string, Category>> = {
  'storage.bucket': 'Data',
  'database.instance': 'Data',
  'kms.key': 'Data',
  'network.firewall': 'Networking',
  'iam.policy': 'IdentityAndAccess',
  'iam.binding': 'IdentityAndAccess',
  'compute.instance': 'Compute',
  'serverless.function': 'Compute',
};

/**
 * The metadata categories (Compute, Networking, Data, IdentityAndAccess,
 * IoT: assessmentMetadata.json, categories); none when nothing fits (an
 * audit trail rule).
 */
export function categoriesOf(rule: Pick<RuleSource, 'ruleId' | 'kind'>): Category[] {
  const family = /^[A-Z]+-([A-Z]+)-/.exec(rule.ruleId)?.[1] ?? '';
  const category = FAMILY_CATEGORIES[family] ?? KIND_CATEGORIES[rule.kind];
  return category ? [category] : [];
}

/**
 * A rule's assessment metadata: displayName, severity and assessmentType
 * are required; CustomerManaged is the type for "user assessments pushed
 * directly by the user or other third party". userImpact and
 * implementationEffort are optional and left out: the rule catalog does not
 * say them.
 */
export function metadataOf(rule: RuleSource): SecurityAssessmentMetadataResponse {
  const title = rule.title.trim();
  const remediation = rule.remediation.trim();
  const categories = categoriesOf(rule);
  return {
    displayName: cut(title === '' ? rule.ruleId : `${rule.ruleId} ${title}`, 256),
    description: cut(title === '' ? rule.ruleId : title),
    ...(remediation === '' ? {} : { remediationDescription: cut(remediation) }),
    ...(categories.length > 0 ? { categories } : {}),
    severity: defenderSeverity(rule.severity),
    assessmentType: 'CustomerManaged',
  };
}

/**
 * The assessment's status:
 * - ACTIVE (new, updated, reopened): Unhealthy; the cause is the rule id
 *   (the programmatic reason), the description the finding's message.
 * - RESOLVED because compliant: Healthy.
 * - RESOLVED because the rule left the bundle: NotApplicable — the resource
 *   was not found compliant, it is no longer assessed.
 * - SUPPRESSED (waived): NotApplicable with cause "Exempt", as Defender
 *   writes an exempted result
 *   (https://learn.microsoft.com/azure/defender-for-cloud/subassessment-rest-api),
 *   the waiver in the description.
 * A finding resolved because its resource was deleted gets no status: its
 * assessment is deleted (see publisher.ts).
 */
export function statusOf(finding: AssessmentSource): AssessmentStatus {
  if (finding.status === 'SUPPRESSED') {
    const waiver = finding.waiver;
    const why = waiver
      ? `Waived until ${waiver.expires} by ${waiver.owner}: ${waiver.reason}`
      : 'Waived';
    return { code: 'NotApplicable', cause: 'Exempt', description: cut(why) };
  }
  if (finding.status === 'RESOLVED') {
    if (finding.resolution === 'rule-removed') {
      return {
        code: 'NotApplicable',
        cause: 'RuleRemoved',
        description: `${finding.ruleId} is no longer in the policy bundle`,
      };
    }
    return {
      code: 'Healthy',
      description: cut(
        `Compliant with ${finding.ruleId}${finding.resolvedAt ? ` since ${finding.resolvedAt}` : ''}`,
      ),
    };
  }
  return {
    code: 'Unhealthy',
    cause: finding.ruleId,
    description: cut(finding.message.trim() || finding.ruleId),
  };
}

/**
 * additionalData (string values only): the ids that tie the assessment to
 * the finding, the real severity (Defender has no Critical), the finding's
 * times, and the change that caused it, when a change was attributed.
 */
export function additionalDataOf(finding: AssessmentSource): Record<string, string> {
  const data: Record<string, string> = {
    ruleId: finding.ruleId,
    findingId: finding.id,
    severity: finding.severity,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
  };
  if (finding.resolution) data['resolution'] = finding.resolution;
  const change = finding.change;
  if (change?.changedBy) data['changedBy'] = cut(change.changedBy);
  if (change?.changedAt) data['changedAt'] = change.changedAt;
  if (change?.changeType) data['changeType'] = change.changeType;
  if (change?.fields && change.fields.length > 0) {
    data['changedFields'] = cut(
      change.fields
        .map((f) => `${f.path}: ${JSON.stringify(f.before)} → ${JSON.stringify(f.after)}`)
        .join('; '),
    );
  }
  if (change?.relatedEvents && change.relatedEvents.length > 0) {
    data['relatedEvents'] = cut(change.relatedEvents.join(','));
  }
  return data;
}

/** The assessment body: resourceDetails (source Azure: the resource is the one in the URL), status, additionalData. */
export function assessmentOf(finding: AssessmentSource): SecurityAssessment {
  return {
    resourceDetails: { source: 'Azure' },
    status: statusOf(finding),
    additionalData: additionalDataOf(finding),
  };
}
