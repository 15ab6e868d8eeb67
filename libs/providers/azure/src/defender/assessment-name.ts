import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A name-based UUID, version 5 (SHA-1), as RFC 9562 §5.5 defines it: the
 * first 16 bytes of SHA-1(namespace bytes ‖ name as UTF-8), with the version
 * (0101) and the variant (10) bits set.
 * https://www.rfc-editor.org/rfc/rfc9562#name-uuid-version-5
 */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new TypeError(`namespace is no UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The namespace of rule names. Fixed for good: every assessment metadata
 * and assessment already published is named from it, so a new namespace
 * would orphan them all and publish every finding a second time.
 */
export const RULE_NAMESPACE = '9c79226c-1135-4dad-b28c-8e1d06c675d3';

/**
 * The Defender for Cloud name of a rule: the assessment metadata's name in
 * each subscription and the assessment's name on each resource (an
 * assessment must be named as its metadata:
 * https://learn.microsoft.com/rest/api/defenderforcloud/assessments/create-or-update).
 * Deterministic, so a re-run updates what exists instead of adding to it.
 */
export function assessmentName(ruleId: string): string {
  return uuidV5(ruleId, RULE_NAMESPACE);
}
