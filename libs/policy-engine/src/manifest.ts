/**
 * The manifest written beside policy.wasm at build time from the rules'
 * METADATA blocks (`opa inspect -a`). The engine reads rule metadata only from
 * here, never from Rego at run time.
 */

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * 2: `violations` selects rules by kind (drift.dispatch); `everyRule` walks them all.
 * 3: `batch` judges many resources in one call; `unreadFields` replaces `readsNative`.
 */
export const MANIFEST_SCHEMA_VERSION = 3;

/** Entrypoints every bundle must export (the paths passed to `opa build -e`). */
export const ENTRYPOINTS = {
  /**
   * Every violation for `input.resource`: a set of {rule_id, message, details},
   * from the rules whose METADATA lists the resource's kind (policies/dispatch.rego).
   */
  violations: 'drift/dispatch/violations',
  /**
   * `violations` of each of `input.resources`, in their order: one call for
   * many resources, so the cost of a call into the module is shared.
   */
  batch: 'drift/dispatch/batch',
  /** The same from every rule, whatever the kind: the reference `violations` must equal. */
  everyRule: 'drift/main/violations',
  /** Every rule id the bundle can return, evaluated once at load. */
  ruleIds: 'drift/main/rule_ids',
} as const;

export interface RuleMetadata {
  /** Public, stable id such as DD-STORAGE-001: users write waivers against it. */
  readonly id: string;
  /** Rego package, e.g. drift.rules.storage.public_access_guardrail. */
  readonly package: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  /** Normalized kinds the rule reads, e.g. ["storage.bucket"]. */
  readonly kinds: readonly string[];
  /** Framework → control ids, e.g. {"cis-aws-3.0": ["2.1.4"], "nist-800-53": ["AC-3"]}. */
  readonly frameworks: Readonly<Record<string, readonly string[]>>;
  /** Provider (aws|azure|gcp) or "default" → what to do about a violation. */
  readonly remediation: Readonly<Record<string, string>>;
}

export interface PolicyManifest {
  readonly schemaVersion: typeof MANIFEST_SCHEMA_VERSION;
  /** sha256 of policy.wasm, hex: a manifest from another build is refused. */
  readonly wasmSha256: string;
  readonly opaVersion: string;
  readonly entrypoints: typeof ENTRYPOINTS;
  readonly rules: readonly RuleMetadata[];
  /**
   * Top-level fields of the normalized resource that no rule names (found by
   * the build in the parsed Rego), such as `native` and `tags`: the engine
   * leaves them out of the policy's input, which the module parses byte by byte.
   */
  readonly unreadFields: readonly string[];
}

const RULE_ID = /^DD-[A-Z]+-\d{3}$/;

/** Validation problems in one place, so the build and the engine word them alike. */
export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Turns the annotations of one rule package (title, description, custom.*)
 * into RuleMetadata, or throws a MetadataError naming every problem.
 */
export function parseRuleMetadata(pkg: string, annotations: unknown): RuleMetadata {
  const problems: string[] = [];
  const a = isRecord(annotations) ? annotations : {};
  const custom = isRecord(a['custom']) ? a['custom'] : {};
  const id = custom['id'];
  if (!nonEmptyString(id) || !RULE_ID.test(id))
    problems.push('custom.id must look like DD-AREA-001');
  if (!nonEmptyString(a['title'])) problems.push('title is required');
  const severity = custom['severity'];
  if (!SEVERITIES.includes(severity as Severity)) {
    problems.push(`custom.severity must be one of ${SEVERITIES.join('|')}`);
  }
  const kinds = custom['kinds'];
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every(nonEmptyString)) {
    problems.push('custom.kinds must be a non-empty list of kinds');
  }
  const frameworks = custom['frameworks'];
  if (
    !isRecord(frameworks) ||
    !Object.values(frameworks).every((ids) => Array.isArray(ids) && ids.every(nonEmptyString))
  ) {
    problems.push('custom.frameworks must map framework names to lists of control ids');
  }
  const remediation = custom['remediation'];
  const remediationMap = nonEmptyString(remediation) ? { default: remediation } : remediation;
  if (
    !isRecord(remediationMap) ||
    Object.keys(remediationMap).length === 0 ||
    !Object.values(remediationMap).every(nonEmptyString)
  ) {
    problems.push('custom.remediation must be text, or a map of provider to text');
  }
  if (problems.length > 0) {
    throw new MetadataError(`rule package ${pkg}: ${problems.join('; ')}`);
  }
  return {
    id: id as string,
    package: pkg,
    title: a['title'] as string,
    description: nonEmptyString(a['description']) ? a['description'].trim() : '',
    severity: severity as Severity,
    kinds: kinds as string[],
    frameworks: frameworks as Record<string, string[]>,
    remediation: remediationMap as Record<string, string>,
  };
}

/** Checks a manifest read from disk; throws MetadataError with what is wrong. */
export function parseManifest(raw: unknown): PolicyManifest {
  if (!isRecord(raw)) throw new MetadataError('manifest is not a JSON object');
  if (raw['schemaVersion'] !== MANIFEST_SCHEMA_VERSION) {
    throw new MetadataError(
      `manifest schemaVersion ${String(raw['schemaVersion'])} is not ${MANIFEST_SCHEMA_VERSION}: ` +
        'the bundle was built by another version; rebuild it (npx nx run policies:build)',
    );
  }
  if (!nonEmptyString(raw['wasmSha256'])) throw new MetadataError('manifest lacks wasmSha256');
  if (!Array.isArray(raw['rules'])) throw new MetadataError('manifest lacks a rules list');
  const rules = raw['rules'].map((rule: unknown) => {
    const r = isRecord(rule) ? rule : {};
    return parseRuleMetadata(String(r['package'] ?? '?'), {
      title: r['title'],
      description: r['description'],
      custom: r,
    });
  });
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) throw new MetadataError(`rule id ${rule.id} appears twice`);
    seen.add(rule.id);
  }
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    wasmSha256: raw['wasmSha256'],
    opaVersion: nonEmptyString(raw['opaVersion']) ? raw['opaVersion'] : 'unknown',
    entrypoints: ENTRYPOINTS,
    rules,
    unreadFields: Array.isArray(raw['unreadFields'])
      ? raw['unreadFields'].filter((field): field is string => typeof field === 'string')
      : [],
  };
}
