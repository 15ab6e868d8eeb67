import type {
  FirewallRule,
  PolicyStatement,
  PropertiesOf,
  Resource,
} from '@drift-detective/resource-model';
import {
  admitsInternet,
  allPortsOpenToInternet,
  catalogFixtureName,
} from '@drift-detective/testing';

/**
 * What each AWS rule of the catalog decides from the normalized properties
 * (the Rego rules in policies/common, in brief): "violating", "compliant", or
 * "unknown" when the property it reads is null.
 */
export type Verdict = 'violating' | 'compliant' | 'unknown';

const INTERNET = ['0.0.0.0/0', '::/0'];

function props<K extends Resource['kind']>(resource: Resource, kind: K): PropertiesOf<K> | null {
  return resource.kind === kind ? (resource.properties as PropertiesOf<K>) : null;
}

function flag(value: boolean | null | undefined, violatingWhen: boolean): Verdict {
  if (value === null || value === undefined) return 'unknown';
  return value === violatingWhen ? 'violating' : 'compliant';
}

/**
 * A fixed value: no wildcard (`*`, `?`) and no policy variable (`${…}`). Only
 * fixed values of a condition make a statement non-public ("The meaning of
 * public", S3 Block Public Access docs).
 */
const fixed = (value: string) => !/[*?]|\$\{/.test(value) && !INTERNET.includes(value);

/** A condition that pins some key to fixed values only (in brief: any key). */
function pinned(conditions: PolicyStatement['conditions']): boolean {
  return Object.entries(conditions ?? {}).some(
    ([operator, keys]) =>
      !operator.toLowerCase().startsWith('forany') &&
      Object.values(keys).some((values) => values.length > 0 && values.every(fixed)),
  );
}

function publicAllow(statements: PolicyStatement[]): boolean {
  return statements.some(
    (s) =>
      s.effect === 'Allow' &&
      (s.principals ?? []).some((p) => p.id === '*') &&
      !pinned(s.conditions),
  );
}

/** The enabled ingress allows of a security group (AWS has no denies and no order). */
function allows(resource: Resource): FirewallRule[] | null {
  const firewall = props(resource, 'network.firewall');
  if (firewall === null) return null;
  return firewall.rules.filter(
    (rule) => rule.direction === 'ingress' && rule.action === 'allow' && rule.enabled,
  );
}

const verdictOf = (open: boolean | null): Verdict =>
  open === null ? 'unknown' : open ? 'violating' : 'compliant';

/** TCP `port` admitted from the whole internet, by one rule or by several rules' pieces. */
function exposesPort(rules: FirewallRule[], port: number): boolean {
  return admitsInternet(
    rules.filter(
      (rule) =>
        ['all', 'tcp', '6'].includes(rule.protocol) &&
        (rule.ports === null || rule.ports.some((r) => r.from <= port && port <= r.to)),
    ),
  );
}

export const VERDICTS: Record<string, (resource: Resource) => Verdict> = {
  'DD-STORAGE-001': (resource) => {
    const bucket = props(resource, 'storage.bucket');
    const block = bucket?.publicAccessBlock;
    if (!bucket || !block) return 'unknown';
    const settings = Object.entries(block) as [keyof typeof block, boolean | null][];
    if (
      settings.some(
        ([key, value]) => value === false && bucket.accountPublicAccessBlock?.[key] !== true,
      )
    ) {
      return 'violating';
    }
    return settings.every(([, value]) => value === true) ? 'compliant' : 'unknown';
  },
  'DD-STORAGE-002': (resource) => {
    const bucket = props(resource, 'storage.bucket');
    if (!bucket) return 'unknown';
    const grants = bucket.aclGrants;
    const publicGrant = grants?.some(
      (g) => g.grantee === 'AllUsers' || g.grantee === 'AuthenticatedUsers',
    );
    if (publicGrant || (bucket.policy && publicAllow(bucket.policy))) return 'violating';
    return grants === null || (bucket.policy === null && bucket.policyAbsent !== true)
      ? 'unknown'
      : 'compliant';
  },
  'DD-STORAGE-003': (resource) => flag(props(resource, 'storage.bucket')?.encryption.atRest, false),
  'DD-STORAGE-004': (resource) =>
    flag(props(resource, 'storage.bucket')?.transport.httpsOnly, false),
  'DD-STORAGE-005': (resource) =>
    flag(props(resource, 'storage.bucket')?.versioning.enabled, false),
  'DD-NET-001': (resource) => {
    const rules = allows(resource);
    return verdictOf(rules && [22, 3389].some((port) => exposesPort(rules, port)));
  },
  'DD-NET-002': (resource) => {
    const rules = allows(resource);
    return verdictOf(rules && allPortsOpenToInternet(rules));
  },
  'DD-IAM-001': (resource) => {
    const policy = props(resource, 'iam.policy');
    if (!policy) return 'unknown';
    const admin = policy.statements.some(
      (s) =>
        s.effect === 'Allow' &&
        (s.actions ?? []).some((a) => a === '*' || a === '*:*') &&
        (s.resources ?? []).includes('*'),
    );
    const attached = (policy.attachedPolicies ?? []).some(
      (p) => p.id === 'arn:aws:iam::aws:policy/AdministratorAccess',
    );
    return admin || attached ? 'violating' : 'compliant';
  },
  'DD-IAM-002': (resource) => {
    // A function's resource policy and a key's key policy are read alike.
    const shared = props(resource, 'serverless.function') ?? props(resource, 'kms.key');
    if (!shared || shared.policy === null) return 'unknown';
    return publicAllow(shared.policy) ? 'violating' : 'compliant';
  },
  'DD-DB-001': (resource) => flag(props(resource, 'database.instance')?.publicNetworkAccess, true),
  'DD-DB-002': (resource) => flag(props(resource, 'database.instance')?.storageEncrypted, false),
  // backupRetentionPeriod 0 turns automated backups off.
  'DD-DB-004': (resource) => flag(props(resource, 'database.instance')?.automatedBackups, false),
  'DD-KMS-001': (resource) => {
    const key = props(resource, 'kms.key');
    if (!key || key.keyManager === 'AWS') return key ? 'compliant' : 'unknown';
    return flag(key.rotationEnabled, false);
  },
  'DD-LOG-002': (resource) => flag(props(resource, 'audit.trail')?.logFileValidation, false),
  'DD-LOG-001': (resource) => {
    const trail = props(resource, 'audit.trail');
    if (!trail) return 'unknown';
    if (trail.multiRegion === false || trail.logging === false) return 'violating';
    return trail.multiRegion === true ? 'compliant' : 'unknown';
  },
  'DD-COMPUTE-001': (resource) => {
    const instance = props(resource, 'compute.instance');
    if (!instance || instance.metadataEndpointEnabled === false)
      return instance ? 'compliant' : 'unknown';
    return flag(instance.metadataTokensRequired, false);
  },
  // sourceDestCheck false: the instance forwards traffic neither from nor to it.
  'DD-COMPUTE-002': (resource) => flag(props(resource, 'compute.instance')?.ipForwarding, true),
  // A trail without kmsKeyId keeps its logs under S3-managed keys only.
  'DD-LOG-003': (resource) => flag(props(resource, 'audit.trail')?.kmsEncrypted, false),
  'DD-DB-006': (resource) =>
    flag(props(resource, 'database.instance')?.autoMinorVersionUpgrade, false),
  // The VPC's default group should hold no rule at all, in either direction.
  'DD-NET-003': (resource) => {
    const firewall = props(resource, 'network.firewall');
    if (!firewall || firewall.defaultGroup === null || firewall.defaultGroup === undefined)
      return 'unknown';
    return firewall.defaultGroup && firewall.rules.length > 0 ? 'violating' : 'compliant';
  },
  // An instance profile of none: [] (null is "the item does not say").
  'DD-COMPUTE-008': (resource) => {
    const identities = props(resource, 'compute.instance')?.identities;
    return identities === null || identities === undefined
      ? 'unknown'
      : identities.length === 0
        ? 'violating'
        : 'compliant';
  },
  'DD-IAM-003': (resource) => {
    const attached = props(resource, 'iam.policy')?.attachedPolicies;
    if (attached === null || attached === undefined) return 'unknown';
    return attached.some((p) => p.id === 'arn:aws:iam::aws:policy/AWSCloudShellFullAccess')
      ? 'violating'
      : 'compliant';
  },
  'DD-COMPUTE-009': (resource) => publicAddress(resource),
  // A user's own managed or inline policies, rather than its groups'.
  'DD-IAM-004': (resource) => {
    const user = props(resource, 'iam.policy');
    if (!user || user.principalType !== 'user') return 'unknown';
    if ((user.attachedPolicies ?? []).length > 0 || user.statements.length > 0) return 'violating';
    return user.attachedPolicies === null ? 'unknown' : 'compliant';
  },
};

/** An instance with any public address (GKE's nodes aside, which AWS has none of). */
function publicAddress(resource: Resource): Verdict {
  const ips = props(resource, 'compute.instance')?.publicIps;
  if (ips === null || ips === undefined) return 'unknown';
  return ips.length > 0 && !resource.name.startsWith('gke-') ? 'violating' : 'compliant';
}

/** The catalog fixtures: dd-<rule>-violating-*.json / dd-<rule>-compliant-*.json. */
export function catalogFixture(file: string): { rule: string; expected: Verdict } | null {
  const named = catalogFixtureName(file);
  return named && { rule: named.ruleId, expected: named.violating ? 'violating' : 'compliant' };
}
