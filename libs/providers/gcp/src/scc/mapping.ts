import type { CausingChange, FindingRecord } from '@drift-detective/findings';
import type { protos } from '@google-cloud/security-center';
import { compliancesOf } from './compliance.js';
import { findingName } from './names.js';
import { cut, text, toValue, type ProtoValue } from './values.js';

/**
 * Finding records as Security Command Center v2 findings
 * (https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings#Finding).
 * This module only shapes the finding; which calls write it is the
 * publisher's business (publisher.ts).
 */

type SccFinding = protos.google.cloud.securitycenter.v2.IFinding;
export type SccSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type SccState = 'ACTIVE' | 'INACTIVE';

/** What a finding needs to become an SCC finding. */
export type SccSource = Pick<
  FindingRecord,
  | 'id'
  | 'ruleId'
  | 'title'
  | 'severity'
  | 'message'
  | 'remediation'
  | 'frameworks'
  | 'details'
  | 'status'
  | 'resolution'
  | 'resolvedAt'
  | 'waiver'
  | 'resourceId'
  | 'account'
  | 'firstSeen'
  | 'lastSeen'
  | 'lastChanged'
  | 'observedAt'
  | 'change'
>;

/**
 * The fields this adapter owns, as UpdateFinding's update_mask. With a mask,
 * an update leaves alone what a person or another tool set (security marks,
 * external systems, the mute); `source_properties` as a whole replaces the
 * map, so a property of an earlier version (an old change, a waiver that
 * ended) does not linger. `category` and `resource_name` are IMMUTABLE: they
 * are in the mask so that a finding created by this very call has them,
 * whichever way the service applies a mask on creation; an update that sends
 * them unchanged is accepted ("the service should ignore the field if the
 * value matches", https://google.aip.dev/203#immutable). `state` is
 * OUTPUT_ONLY in v2 and `mute` is not the provider's to set (Finding.state,
 * Finding.mute in finding.proto): both have their own methods.
 */
export const UPDATE_MASK: readonly string[] = [
  'category',
  'resource_name',
  'finding_class',
  'severity',
  'event_time',
  'description',
  'next_steps',
  'compliances',
  'source_properties',
];

/**
 * SCC's severities are CRITICAL, HIGH, MEDIUM and LOW (Finding.Severity);
 * ours has INFORMATIONAL too, which becomes LOW (SEVERITY_UNSPECIFIED is
 * "for findings when a source doesn't write a severity value", and we do).
 * The finding's own severity stays in source_properties.
 */
export function sccSeverity(severity: string): SccSeverity {
  const upper = severity.trim().toUpperCase();
  return upper === 'CRITICAL' || upper === 'HIGH' || upper === 'MEDIUM' ? upper : 'LOW';
}

/**
 * ACTIVE while the violation stands, waived or not (a waiver mutes, it does
 * not fix); INACTIVE once resolved, whether compliant, deleted or no longer
 * judged ("The finding has been fixed, triaged as a non-issue or otherwise
 * addressed and is no longer active", Finding.State). SCC findings are never
 * deleted by a source: a deleted resource's finding is INACTIVE.
 */
export function sccState(finding: Pick<SccSource, 'status'>): SccState {
  return finding.status === 'RESOLVED' ? 'INACTIVE' : 'ACTIVE';
}

/** Whether the finding is to be muted: while a waiver suppresses it. */
export function wantsMute(finding: Pick<SccSource, 'status'>): boolean {
  return finding.status === 'SUPPRESSED';
}

const validTime = (iso: string | null | undefined): number | undefined => {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * event_time: "The time the finding was first detected. If an existing
 * finding is updated, then this is the time the update occurred. … If the
 * finding is later resolved, then this time reflects when the finding was
 * resolved. This must not be set to a value greater than the current
 * timestamp" (Finding.event_time). So: for a resolved finding, when it
 * resolved; otherwise when the causing change happened if the event said,
 * else when the violating state was observed; capped at now.
 */
export function eventTimeOf(finding: SccSource, now: Date): Date {
  const candidates =
    finding.status === 'RESOLVED'
      ? [finding.resolvedAt, finding.observedAt, finding.lastChanged]
      : [finding.change?.changedAt, finding.observedAt, finding.lastChanged, finding.firstSeen];
  const at = candidates.map(validTime).find((ms) => ms !== undefined) ?? now.getTime();
  return new Date(Math.min(at, now.getTime()));
}

function timestamp(date: Date): protos.google.protobuf.ITimestamp {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** A value as a change line shows it: JSON, short. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}

/**
 * The change that caused the violation, as flat properties (a flat key is
 * what a ListFindings filter can name: `source_properties.changedBy = "…"`):
 * who and when, the kind of change, every field before → after (as values,
 * and as one readable line), and related audit log entries.
 */
function changeProperties(change: CausingChange | undefined): Record<string, ProtoValue> {
  if (!change) return {};
  const props: Record<string, ProtoValue> = {};
  if (change.changedBy) props['changedBy'] = text(change.changedBy);
  if (change.changedAt) props['changedAt'] = text(change.changedAt);
  if (change.changeType) props['changeType'] = text(change.changeType);
  const fields = change.fields ?? [];
  if (fields.length > 0) {
    props['changedFields'] = toValue(
      fields.map((f) => ({ path: f.path, before: f.before ?? null, after: f.after ?? null })),
    );
    props['change'] = text(
      fields.map((f) => `${f.path}: ${shown(f.before)} → ${shown(f.after)}`).join('; '),
    );
  }
  if (change.relatedEvents && change.relatedEvents.length > 0) {
    props['relatedEvents'] = toValue([...change.relatedEvents]);
  }
  return props;
}

/**
 * source_properties (keys "must start with a letter and contain alphanumeric
 * characters or underscores only", Finding.source_properties): the ids that
 * tie the SCC finding to ours, the rule's title and our own severity, the
 * status and why it resolved, the cause (the rule's message and the evidence
 * it reported), the waiver while one applies, and the change.
 */
export function sourcePropertiesOf(finding: SccSource): Record<string, ProtoValue> {
  const props: Record<string, ProtoValue> = {
    ruleId: text(finding.ruleId),
    findingId: text(finding.id),
    title: text(finding.title),
    severity: text(finding.severity),
    status: text(finding.status),
    project: text(finding.account),
    cause: text(finding.message.trim() || finding.title || finding.ruleId),
    firstSeen: text(finding.firstSeen),
    lastSeen: text(finding.lastSeen),
  };
  if (Object.keys(finding.details).length > 0) props['details'] = toValue(finding.details);
  if (finding.resolution) props['resolution'] = text(finding.resolution);
  if (finding.resolvedAt) props['resolvedAt'] = text(finding.resolvedAt);
  if (finding.status === 'SUPPRESSED' && finding.waiver) {
    props['waiverReason'] = text(finding.waiver.reason);
    props['waiverOwner'] = text(finding.waiver.owner);
    props['waiverExpires'] = text(finding.waiver.expires);
  }
  return { ...props, ...changeProperties(finding.change) };
}

/**
 * The finding as UpdateFinding takes it: named after our finding id under the
 * source, category = the rule id, class MISCONFIGURATION ("a potential
 * weakness in cloud resource/asset configuration that increases risk",
 * Finding.FindingClass), resource_name = the asset's full resource name
 * (//storage.googleapis.com/bucket), description = the message, next_steps =
 * the remediation, compliances from the rule's frameworks.
 */
export function sccFindingOf(finding: SccSource, source: string, now: Date): SccFinding {
  const description = finding.message.trim() || finding.title.trim() || finding.ruleId;
  return {
    name: findingName(source, finding.id),
    category: finding.ruleId,
    resourceName: finding.resourceId,
    findingClass: 'MISCONFIGURATION',
    severity: sccSeverity(finding.severity),
    eventTime: timestamp(eventTimeOf(finding, now)),
    description: cut(description),
    nextSteps: cut(finding.remediation.trim()),
    compliances: compliancesOf(finding.frameworks),
    sourceProperties: sourcePropertiesOf(finding),
  };
}
