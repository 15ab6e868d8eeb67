import type {
  AddressRange,
  FirewallPolicyLevel,
  FirewallRule,
  IamBinding,
  Kind,
  Resource,
} from '@drift-detective/resource-model';
import {
  admitsInternet,
  allPortsOpenToInternet,
  coversInternet,
  denyShadows,
  policiesShadow,
} from '@drift-detective/testing';

/**
 * The catalog rules that apply to GCP (DESIGN.md), as verdicts on normalized resources: true =
 * violating, false = compliant, null = cannot decide (unknown). They mirror what the Rego rules
 * read, so the fixtures and the property tests check the fields those rules depend on.
 */
export interface CatalogCase {
  readonly rule: string;
  readonly kind: Kind;
  readonly violating: string;
  readonly compliant: string;
  /** Further fixtures of the rule, violating or compliant as their names say. */
  readonly more?: readonly string[];
  /** Paths (inside the violating fixture file) of the native values that make it violate. */
  readonly datums: readonly (readonly (string | number)[])[];
  readonly verdict: (resource: Resource) => boolean | null;
}

const PUBLIC = new Set(['allUsers', 'allAuthenticatedUsers']);
const INTERNET = new Set(['0.0.0.0/0', '::/0']);

type Props = Record<string, unknown>;
const props = (resource: Resource) => resource.properties as Props;
const bindings = (value: unknown) => value as IamBinding[] | null;

const always = () => true;
const never = () => false;
const LEVELS = [
  'debug5',
  'debug4',
  'debug3',
  'debug2',
  'debug1',
  'info',
  'notice',
  'warning',
  'error',
  'log',
  'fatal',
  'panic',
];
const upTo = (level: string) => LEVELS.slice(0, LEVELS.indexOf(level) + 1);

/**
 * The CIS GCP 6.1–6.3 flags: the values that comply, and whether leaving the flag unset (the
 * engine default) complies. local_infile is on by default before MySQL 8.0.2.
 */
const BENCHMARK_FLAGS: Record<
  string,
  Record<string, { accepted: string[]; unsetComplies: (version: string) => boolean }>
> = {
  mysql: {
    skip_show_database: { accepted: ['on'], unsetComplies: never },
    local_infile: { accepted: ['off'], unsetComplies: (v) => !v.startsWith('MYSQL_5') },
  },
  postgres: {
    log_error_verbosity: { accepted: ['default', 'terse'], unsetComplies: always },
    log_connections: { accepted: ['on'], unsetComplies: never },
    log_disconnections: { accepted: ['on'], unsetComplies: never },
    log_statement: { accepted: ['ddl', 'mod', 'all'], unsetComplies: never },
    log_min_messages: { accepted: upTo('warning'), unsetComplies: always },
    log_min_error_statement: { accepted: upTo('error'), unsetComplies: always },
    log_min_duration_statement: { accepted: ['-1'], unsetComplies: always },
    'cloudsql.enable_pgaudit': { accepted: ['on'], unsetComplies: never },
  },
  sqlserver: {
    'external scripts enabled': { accepted: ['off'], unsetComplies: always },
    'cross db ownership chaining': { accepted: ['off'], unsetComplies: always },
    'user connections': { accepted: ['0'], unsetComplies: always },
    'user options': { accepted: [], unsetComplies: always },
    'remote access': { accepted: ['off'], unsetComplies: never },
    '3625': { accepted: ['on'], unsetComplies: never },
    'contained database authentication': { accepted: ['off'], unsetComplies: always },
  },
};

const isPerson = (member: string) => /^(user|group|domain):/.test(member);
const IMPERSONATION = new Set([
  'roles/iam.serviceAccountUser',
  'roles/iam.serviceAccountTokenCreator',
]);
/** CIS GCP 1.8 and 1.11: what administers, what uses. */
const DUTIES: [string[], string[]][] = [
  [['roles/iam.serviceAccountAdmin'], ['roles/iam.serviceAccountUser']],
  [
    ['roles/cloudkms.admin'],
    [
      'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      'roles/cloudkms.cryptoKeyEncrypter',
      'roles/cloudkms.cryptoKeyDecrypter',
    ],
  ],
];

const activeAllow = (rule: FirewallRule) =>
  rule.enabled && rule.direction === 'ingress' && rule.action === 'allow';
const covers = (rule: FirewallRule, port: number) =>
  rule.ports === null || rule.ports.some((r) => r.from <= port && port <= r.to);
const rules = (resource: Resource) => props(resource)['rules'] as FirewallRule[];

/**
 * The denies that may come before the firewall's allows: its own and its network's other
 * rules'; null when one of the network's rules could not be read (no verdict then).
 */
function denyPool(resource: Resource): FirewallRule[] | null {
  const network = props(resource)['networkDenyRules'] as FirewallRule[] | null | undefined;
  return network === null ? null : [...rules(resource), ...(network ?? [])];
}

/** Enabled inbound allows that no deny of the pool, nor the policies above, settles first on `port`. */
function admitting(resource: Resource, port: number | 'all'): FirewallRule[] | null {
  const pool = denyPool(resource);
  const levels = props(resource)['policyLevels'] as FirewallPolicyLevel[] | null | undefined;
  if (pool === null || levels === null) return null;
  return rules(resource).filter(
    (rule) =>
      activeAllow(rule) &&
      !pool.some((deny) => denyShadows(deny, rule, port)) &&
      !policiesShadow(levels ?? [], rule, port),
  );
}

export const CATALOG: readonly CatalogCase[] = [
  {
    rule: 'DD-STORAGE-001',
    kind: 'storage.bucket',
    violating: 'dd-storage-001-violating-pap-inherited.json',
    compliant: 'dd-storage-001-compliant-pap-enforced.json',
    datums: [['resource', 'data', 'iamConfiguration', 'publicAccessPrevention']],
    verdict: (r) => {
      const { publicAccessPrevention: pap, publicAccessPreventionPolicy: policy } = props(r);
      if (pap === 'enforced' || policy === true) return false;
      return typeof pap === 'string' ? true : null;
    },
  },
  {
    rule: 'DD-STORAGE-002',
    kind: 'storage.bucket',
    violating: 'dd-storage-002-violating-allusers-object-viewer.json',
    compliant: 'dd-storage-002-compliant-project-members-only.json',
    more: ['dd-storage-002-compliant-allusers-public-access-prevention-enforced.json'],
    datums: [[1, 'iam_policy', 'bindings', 2, 'members', 0]],
    verdict: (r) => {
      const { publicAccessPrevention: pap, publicAccessPreventionPolicy: policy } = props(r);
      // Enforced prevention makes allUsers/allAuthenticatedUsers grants ineffective.
      if (pap === 'enforced' || policy === true) return false;
      const list = bindings(props(r)['iamBindings']);
      return list === null ? null : list.some((b) => b.members.some((m) => PUBLIC.has(m)));
    },
  },
  {
    rule: 'DD-STORAGE-005',
    kind: 'storage.bucket',
    violating: 'dd-storage-005-violating-versioning-disabled.json',
    compliant: 'dd-storage-005-compliant-versioning-enabled.json',
    datums: [['resource', 'data', 'versioning', 'enabled']],
    verdict: (r) => {
      const enabled = (props(r)['versioning'] as { enabled: boolean | null }).enabled;
      return enabled === null ? null : !enabled;
    },
  },
  {
    rule: 'DD-NET-001',
    kind: 'network.firewall',
    violating: 'dd-net-001-violating-ssh-open.json',
    compliant: 'dd-net-001-compliant-ssh-open-disabled.json',
    more: [
      'dd-net-001-violating-ssh-open-in-halves.json',
      'dd-net-001-compliant-ssh-in-pieces-with-a-gap.json',
      'dd-net-001-compliant-ssh-open-behind-a-deny-of-the-network.json',
      'dd-net-001-violating-ssh-open-above-denies-that-do-not-cover-it.json',
      'dd-net-001-compliant-ssh-open-behind-an-organization-firewall-policy.json',
      'dd-net-001-violating-ssh-open-past-firewall-policies-that-do-not-settle-it.json',
    ],
    datums: [
      ['resource', 'data', 'allowed', 0, 'ports', 0],
      ['resource', 'data', 'allowed', 0, 'IPProtocol'],
      ['resource', 'data', 'sourceRanges', 0],
      ['resource', 'data', 'direction'],
    ],
    // Per port: the whole internet admitted by one rule, or by one rule's ranges together.
    verdict: (r) => {
      if (admitting(r, 'all') === null) return null;
      return [22, 3389].some((port) =>
        admitsInternet(
          (admitting(r, port) ?? []).filter(
            (rule) => ['all', 'tcp', '6'].includes(rule.protocol) && covers(rule, port),
          ),
        ),
      );
    },
  },
  {
    rule: 'DD-NET-002',
    kind: 'network.firewall',
    violating: 'dd-net-002-violating-all-open.json',
    compliant: 'dd-net-002-compliant-all-internal.json',
    more: [
      'dd-net-002-compliant-icmp-from-anywhere.json',
      'dd-net-002-compliant-all-open-behind-a-deny-of-the-network.json',
      'dd-net-002-compliant-all-open-behind-a-folder-firewall-policy.json',
    ],
    datums: [
      ['resource', 'data', 'sourceRanges', 0],
      ['resource', 'data', 'allowed', 0, 'IPProtocol'],
      ['resource', 'data', 'direction'],
    ],
    verdict: (r) => {
      const open = admitting(r, 'all');
      return open === null ? null : allPortsOpenToInternet(open);
    },
  },
  {
    rule: 'DD-IAM-001',
    kind: 'iam.binding',
    violating: 'dd-iam-001-violating-owner-service-account.json',
    compliant: 'dd-iam-001-compliant-owner-user.json',
    datums: [
      ['iam_policy', 'bindings', 1, 'members', 1],
      ['iam_policy', 'bindings', 1, 'role'],
    ],
    verdict: (r) => {
      const list = bindings(props(r)['bindings']);
      if (list === null) return null;
      return list.some(
        (b) =>
          ['roles/owner', 'roles/editor'].includes(b.role) &&
          b.members.some((m) => m.startsWith('serviceAccount:') || PUBLIC.has(m)),
      );
    },
  },
  {
    rule: 'DD-IAM-002',
    kind: 'iam.binding',
    violating: 'dd-iam-002-violating-project-allusers.json',
    compliant: 'dd-iam-002-compliant-project-domain.json',
    datums: [['iam_policy', 'bindings', 1, 'members', 0]],
    verdict: (r) => {
      const list = bindings(props(r)['bindings']);
      return list === null ? null : list.some((b) => b.members.some((m) => PUBLIC.has(m)));
    },
  },
  {
    rule: 'DD-DB-001',
    kind: 'database.instance',
    violating: 'dd-db-001-violating-authorized-network-open.json',
    compliant: 'dd-db-001-compliant-authorized-network-office.json',
    more: [
      'dd-db-001-violating-authorized-networks-in-halves.json',
      'dd-db-001-compliant-authorized-networks-with-a-gap.json',
    ],
    datums: [['resource', 'data', 'settings', 'ipConfiguration', 'authorizedNetworks', 0, 'value']],
    verdict: (r) => {
      const { publicNetworkAccess, allowedNetworks } = props(r) as {
        publicNetworkAccess: boolean | null;
        allowedNetworks: AddressRange[] | null;
      };
      if (publicNetworkAccess === false) return false;
      if (allowedNetworks === null) return null;
      return (
        allowedNetworks.some((n) => n.cidr !== null && INTERNET.has(n.cidr)) ||
        coversInternet(allowedNetworks.flatMap((n) => (n.span === null ? [] : [n.span])))
      );
    },
  },
  {
    rule: 'DD-KMS-001',
    kind: 'kms.key',
    violating: 'dd-kms-001-violating-no-rotation.json',
    compliant: 'dd-kms-001-compliant-rotation-90-days.json',
    datums: [['resource', 'data', 'purpose']],
    verdict: (r) => {
      const { rotationEnabled, rotationPeriodDays } = props(r) as {
        rotationEnabled: boolean | null;
        rotationPeriodDays: number | null;
      };
      if (rotationEnabled === null) return null;
      if (!rotationEnabled) return true;
      return rotationPeriodDays === null ? null : rotationPeriodDays > 90;
    },
  },
  {
    rule: 'DD-COMPUTE-002',
    kind: 'compute.instance',
    violating: 'dd-compute-002-violating-ip-forwarding.json',
    compliant: 'dd-compute-002-compliant-no-ip-forwarding.json',
    datums: [['resource', 'data', 'canIpForward']],
    verdict: (r) => {
      const forwarding = props(r)['ipForwarding'];
      return typeof forwarding === 'boolean' ? forwarding : null;
    },
  },
  {
    rule: 'DD-COMPUTE-003',
    kind: 'compute.instance',
    violating: 'dd-compute-003-violating-serial-port-enabled.json',
    compliant: 'dd-compute-003-compliant-serial-port-disabled.json',
    datums: [['resource', 'data', 'metadata', 'items', 0, 'value']],
    verdict: (r) => {
      const enabled = props(r)['serialPortEnabled'];
      return typeof enabled === 'boolean' ? enabled : null;
    },
  },
  {
    rule: 'DD-COMPUTE-004',
    kind: 'compute.instance',
    violating: 'dd-compute-004-violating-shielded-vm-off.json',
    compliant: 'dd-compute-004-compliant-shielded-vm-on.json',
    datums: [
      ['resource', 'data', 'shieldedInstanceConfig', 'enableVtpm'],
      ['resource', 'data', 'shieldedInstanceConfig', 'enableIntegrityMonitoring'],
    ],
    // vTPM or integrity monitoring off; secure boot does not decide.
    verdict: (r) => {
      const shielded = props(r)['shieldedVm'] as Record<string, boolean | null> | null;
      if (shielded === null) return null;
      const { vtpm, integrityMonitoring } = shielded;
      if (vtpm === false || integrityMonitoring === false) return true;
      return vtpm === true && integrityMonitoring === true ? false : null;
    },
  },
  {
    rule: 'DD-COMPUTE-005',
    kind: 'compute.instance',
    violating: 'dd-compute-005-violating-default-service-account.json',
    compliant: 'dd-compute-005-compliant-own-service-account.json',
    datums: [['resource', 'data', 'serviceAccounts', 0, 'email']],
    verdict: (r) => {
      const identities = props(r)['identities'] as string[] | null;
      if (identities === null) return null;
      return identities.some((id) => /^\d+-compute@developer\.gserviceaccount\.com$/.test(id));
    },
  },
  {
    rule: 'DD-DB-004',
    kind: 'database.instance',
    violating: 'dd-db-004-violating-backups-off.json',
    compliant: 'dd-db-004-compliant-backups-on.json',
    datums: [['resource', 'data', 'settings', 'backupConfiguration', 'enabled']],
    verdict: (r) => {
      const backups = props(r)['automatedBackups'];
      return typeof backups === 'boolean' ? !backups : null;
    },
  },
  {
    rule: 'DD-COMPUTE-006',
    kind: 'compute.instance',
    violating: 'dd-compute-006-violating-project-ssh-keys-accepted.json',
    compliant: 'dd-compute-006-compliant-project-ssh-keys-blocked.json',
    datums: [['resource', 'data', 'metadata', 'items']],
    verdict: (r) => {
      const blocked = props(r)['projectSshKeysBlocked'];
      return typeof blocked === 'boolean' ? !blocked : null;
    },
  },
  {
    rule: 'DD-COMPUTE-007',
    kind: 'compute.instance',
    violating: 'dd-compute-007-violating-os-login-off.json',
    compliant: 'dd-compute-007-compliant-os-login-on.json',
    datums: [['resource', 'data', 'metadata', 'items', 0, 'value']],
    verdict: (r) => {
      const osLogin = props(r)['osLoginEnabled'];
      return typeof osLogin === 'boolean' ? !osLogin : null;
    },
  },
  {
    rule: 'DD-DB-005',
    kind: 'database.instance',
    violating: 'dd-db-005-violating-postgres-connections-unlogged.json',
    compliant: 'dd-db-005-compliant-postgres-connections-logged.json',
    more: [
      'dd-db-005-violating-mysql-local-infile-on.json',
      'dd-db-005-compliant-mysql-local-infile-off.json',
      'dd-db-005-violating-sqlserver-remote-access-default.json',
      'dd-db-005-compliant-sqlserver-remote-access-off.json',
    ],
    datums: [['resource', 'data', 'settings', 'databaseFlags', 0, 'value']],
    verdict: (r) => {
      const flags = props(r)['databaseFlags'] as Record<string, string> | null;
      const checks = BENCHMARK_FLAGS[String(props(r)['engine'])];
      if (flags === null || checks === undefined) return null;
      return Object.entries(checks).some(([name, check]) => {
        const value = flags[name];
        if (value === undefined) return !check.unsetComplies(String(props(r)['engineVersion']));
        return !check.accepted.includes(value.toLowerCase());
      });
    },
  },
  {
    rule: 'DD-DB-003',
    kind: 'database.instance',
    violating: 'dd-db-003-violating-unencrypted-allowed.json',
    compliant: 'dd-db-003-compliant-encrypted-only.json',
    datums: [['resource', 'data', 'settings', 'ipConfiguration', 'sslMode']],
    verdict: (r) => {
      const tls = props(r)['tlsRequired'];
      return typeof tls === 'boolean' ? !tls : null;
    },
  },
  {
    rule: 'DD-STORAGE-007',
    kind: 'storage.bucket',
    violating: 'dd-storage-007-violating-uniform-access-off.json',
    compliant: 'dd-storage-007-compliant-uniform-access-on.json',
    datums: [['resource', 'data', 'iamConfiguration', 'uniformBucketLevelAccess', 'enabled']],
    verdict: (r) => {
      const uniform = props(r)['uniformAccess'];
      return typeof uniform === 'boolean' ? !uniform : null;
    },
  },
  {
    rule: 'DD-COMPUTE-009',
    kind: 'compute.instance',
    violating: 'dd-compute-009-violating-external-ip.json',
    compliant: 'dd-compute-009-compliant-no-external-ip.json',
    datums: [['resource', 'data', 'networkInterfaces', 0, 'accessConfigs', 0, 'natIP']],
    // GKE's nodes (gke-…) keep the addresses GKE gives them: never a violation.
    verdict: (r) => {
      const ips = props(r)['publicIps'] as string[] | null;
      return ips === null ? null : ips.length > 0 && !r.name.startsWith('gke-');
    },
  },
  {
    rule: 'DD-APP-001',
    kind: 'serverless.function',
    violating: 'dd-app-001-violating-https-optional.json',
    compliant: 'dd-app-001-compliant-https-always.json',
    datums: [['resource', 'data', 'httpsTrigger', 'securityLevel']],
    verdict: (r) => {
      const https = props(r)['httpsOnly'];
      return typeof https === 'boolean' ? !https : null;
    },
  },
  {
    rule: 'DD-IAM-005',
    kind: 'iam.binding',
    violating: 'dd-iam-005-violating-user-service-account-user.json',
    compliant: 'dd-iam-005-compliant-workload-service-account-user.json',
    datums: [
      ['iam_policy', 'bindings', 2, 'role'],
      ['iam_policy', 'bindings', 2, 'members', 0],
    ],
    verdict: (r) => {
      const list = bindings(props(r)['bindings']);
      if (list === null) return null;
      return list.some((b) => IMPERSONATION.has(b.role) && b.members.some(isPerson));
    },
  },
  {
    rule: 'DD-IAM-006',
    kind: 'iam.binding',
    violating: 'dd-iam-006-violating-kms-admin-and-decrypter.json',
    compliant: 'dd-iam-006-compliant-kms-admin-and-decrypter-apart.json',
    datums: [
      ['iam_policy', 'bindings', 2, 'role'],
      ['iam_policy', 'bindings', 2, 'members', 0],
      ['iam_policy', 'bindings', 3, 'role'],
      ['iam_policy', 'bindings', 3, 'members', 0],
    ],
    verdict: (r) => {
      const list = bindings(props(r)['bindings']);
      if (list === null) return null;
      const rolesOf = new Map<string, Set<string>>();
      for (const b of list) {
        for (const m of b.members.filter(isPerson)) {
          rolesOf.set(m, (rolesOf.get(m) ?? new Set()).add(b.role));
        }
      }
      return [...rolesOf.values()].some((roles) =>
        DUTIES.some(
          ([administers, uses]) =>
            administers.some((role) => roles.has(role)) && uses.some((role) => roles.has(role)),
        ),
      );
    },
  },
];
