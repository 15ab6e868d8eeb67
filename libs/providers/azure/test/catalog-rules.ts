/**
 * The catalog rules' Azure semantics (DESIGN.md), restated over normalized
 * resources, so the tests can say which fixtures violate and which value of a
 * field would read as compliant. The Rego policies are the real implementation;
 * these only pin down what the normalizer must hand them.
 */
import type { AddressRange, FirewallRule, Resource } from '@drift-detective/resource-model';
import {
  admitsInternet,
  allPortsOpenToInternet,
  catalogFixtureName,
  coversInternet,
  denyShadows,
} from '@drift-detective/testing';

const INTERNET = new Set(['0.0.0.0/0', '::/0']);

function fromInternet(rule: FirewallRule): boolean {
  return rule.peers.some((peer) => INTERNET.has(peer));
}

function coversPort(rule: FirewallRule, port: number): boolean {
  return rule.ports === null || rule.ports.some((r) => r.from <= port && port <= r.to);
}

function carriesTcp(rule: FirewallRule): boolean {
  return ['all', 'tcp', '6'].includes(rule.protocol);
}

/** An earlier deny from the internet covering the port (denyShadows). */
function shadowed(allow: FirewallRule, port: number, rules: FirewallRule[]): boolean {
  return rules.some((deny) => denyShadows(deny, allow, port));
}

/** Allows of TCP `port` from any peer, not shadowed. */
function admittingRules(rules: FirewallRule[], port: number): FirewallRule[] {
  return rules.filter(
    (rule) =>
      rule.enabled &&
      rule.direction === 'ingress' &&
      rule.action === 'allow' &&
      carriesTcp(rule) &&
      coversPort(rule, port) &&
      !shadowed(rule, port, rules),
  );
}

export function exposingRules(rules: FirewallRule[], port: number): FirewallRule[] {
  return admittingRules(rules, port).filter(fromInternet);
}

function allPortsFromInternet(rules: FirewallRule[]): boolean {
  return allPortsOpenToInternet(
    rules.filter(
      (rule) =>
        rule.enabled &&
        rule.direction === 'ingress' &&
        rule.action === 'allow' &&
        !rules.some((deny) => denyShadows(deny, rule, 'all')),
    ),
  );
}

/** TCP `port` from the whole internet: one rule, or several rules' pieces. */
const exposesPort = (rules: FirewallRule[], port: number) =>
  admitsInternet(admittingRules(rules, port));

/** Azure's 0.0.0.0–0.0.0.0 rule is Azure's services, no piece of the internet. */
const azureServices = (r: AddressRange) => r.startIp === '0.0.0.0' && r.endIp === '0.0.0.0';

function databaseOpen(networks: AddressRange[]): boolean {
  return (
    networks.some(internetRange) ||
    coversInternet(networks.flatMap((n) => (n.span === null || azureServices(n) ? [] : [n.span])))
  );
}

function internetRange(r: { startIp: string | null; endIp: string | null }): boolean {
  return r.startIp === '0.0.0.0' && r.endIp === '255.255.255.255';
}

export interface CatalogRule {
  id: string;
  /** The resource the rule is about, in a fixture's result. */
  subject(resources: Resource[]): Resource | undefined;
  /** The rule fires. */
  violates(resource: Resource): boolean;
  /** Every field the rule reads holds a value that reads as compliant (unknown is not compliant). */
  compliantValue(resource: Resource): boolean;
}

const account = (resources: Resource[]) =>
  resources.find((r) => r.nativeType === 'Microsoft.Storage/storageAccounts');
const container = (resources: Resource[]) =>
  resources.find(
    (r) => r.nativeType === 'Microsoft.Storage/storageAccounts/blobServices/containers',
  );
const byKind = (kind: Resource['kind']) => (resources: Resource[]) =>
  resources.find((r) => r.kind === kind);

export const CATALOG: CatalogRule[] = [
  {
    id: 'DD-STORAGE-001',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.allowBlobPublicAccess === true,
    compliantValue: (r) =>
      r.kind === 'storage.bucket' && r.properties.allowBlobPublicAccess === false,
  },
  {
    id: 'DD-STORAGE-002',
    subject: container,
    violates: (r) =>
      r.kind === 'storage.bucket' &&
      ['Blob', 'Container'].includes(r.properties.containerPublicAccess ?? '') &&
      r.properties.allowBlobPublicAccess === true,
    compliantValue: (r) =>
      r.kind === 'storage.bucket' &&
      (r.properties.containerPublicAccess === 'None' ||
        r.properties.allowBlobPublicAccess === false),
  },
  {
    id: 'DD-STORAGE-003',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.encryption.atRest === false,
    compliantValue: (r) => r.kind === 'storage.bucket' && r.properties.encryption.atRest === true,
  },
  {
    id: 'DD-STORAGE-004',
    subject: account,
    violates: (r) =>
      r.kind === 'storage.bucket' &&
      (r.properties.transport.httpsOnly === false ||
        ['TLS1_0', 'TLS1_1'].includes(r.properties.transport.minimumTlsVersion ?? '')),
    compliantValue: (r) =>
      r.kind === 'storage.bucket' &&
      r.properties.transport.httpsOnly === true &&
      ['TLS1_2', 'TLS1_3'].includes(r.properties.transport.minimumTlsVersion ?? ''),
  },
  {
    id: 'DD-STORAGE-005',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.versioning.enabled === false,
    compliantValue: (r) => r.kind === 'storage.bucket' && r.properties.versioning.enabled === true,
  },
  {
    id: 'DD-NET-001',
    subject: byKind('network.firewall'),
    violates: (r) =>
      r.kind === 'network.firewall' &&
      [22, 3389].some((port) => exposesPort(r.properties.rules, port)),
    compliantValue: (r) =>
      r.kind === 'network.firewall' &&
      [22, 3389].every((port) => !exposesPort(r.properties.rules, port)),
  },
  {
    id: 'DD-NET-002',
    subject: byKind('network.firewall'),
    violates: (r) => r.kind === 'network.firewall' && allPortsFromInternet(r.properties.rules),
    compliantValue: (r) =>
      r.kind === 'network.firewall' && !allPortsFromInternet(r.properties.rules),
  },
  {
    id: 'DD-IAM-001',
    subject: byKind('iam.policy'),
    violates: (r) =>
      r.kind === 'iam.policy' &&
      r.properties.managedBy === 'CustomRole' &&
      r.properties.statements.some((s) => s.effect === 'Allow' && (s.actions ?? []).includes('*')),
    compliantValue: (r) =>
      r.kind === 'iam.policy' &&
      (r.properties.managedBy === 'BuiltInRole' ||
        r.properties.statements.every((s) => s.actions !== null && !s.actions.includes('*'))),
  },
  {
    id: 'DD-DB-001',
    subject: byKind('database.instance'),
    violates: (r) =>
      r.kind === 'database.instance' &&
      r.properties.publicNetworkAccess === true &&
      databaseOpen(r.properties.allowedNetworks ?? []),
    compliantValue: (r) =>
      r.kind === 'database.instance' &&
      (r.properties.publicNetworkAccess === false ||
        (r.properties.allowedNetworks !== null &&
          r.properties.allowedNetworks.every((n) => n.startIp !== null && n.endIp !== null) &&
          !databaseOpen(r.properties.allowedNetworks))),
  },
  {
    id: 'DD-KMS-002',
    subject: byKind('kms.key'),
    violates: (r) => r.kind === 'kms.key' && r.properties.purgeProtected === false,
    compliantValue: (r) => r.kind === 'kms.key' && r.properties.purgeProtected === true,
  },
  {
    id: 'DD-KMS-003',
    subject: byKind('kms.key'),
    violates: (r) => r.kind === 'kms.key' && r.properties.rbacAuthorization === false,
    compliantValue: (r) => r.kind === 'kms.key' && r.properties.rbacAuthorization === true,
  },
  {
    // Trusted launch: vTPM off (or a Standard security type) breaks it; integrity monitoring is
    // an extension, never in the VM body.
    id: 'DD-COMPUTE-004',
    subject: byKind('compute.instance'),
    violates: (r) => r.kind === 'compute.instance' && r.properties.shieldedVm?.vtpm === false,
    compliantValue: (r) => r.kind === 'compute.instance' && r.properties.shieldedVm?.vtpm === true,
  },
  {
    id: 'DD-APP-001',
    subject: byKind('serverless.function'),
    violates: (r) => r.kind === 'serverless.function' && r.properties.httpsOnly === false,
    compliantValue: (r) => r.kind === 'serverless.function' && r.properties.httpsOnly === true,
  },
  {
    id: 'DD-APP-002',
    subject: byKind('serverless.function'),
    violates: (r) =>
      r.kind === 'serverless.function' &&
      ['1.0', '1.1'].includes(r.properties.minimumTlsVersion ?? ''),
    compliantValue: (r) =>
      r.kind === 'serverless.function' &&
      ['1.2', '1.3'].includes(r.properties.minimumTlsVersion ?? ''),
  },
  {
    id: 'DD-STORAGE-008',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.publicNetworkAccess === true,
    compliantValue: (r) =>
      r.kind === 'storage.bucket' && r.properties.publicNetworkAccess === false,
  },
  {
    id: 'DD-STORAGE-009',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.trustedServicesBypass === false,
    compliantValue: (r) =>
      r.kind === 'storage.bucket' && r.properties.trustedServicesBypass === true,
  },
  {
    id: 'DD-NET-004',
    // Storage accounts and key vaults both.
    subject: (resources) => account(resources) ?? byKind('kms.key')(resources),
    violates: (r) =>
      (r.kind === 'storage.bucket' || r.kind === 'kms.key') &&
      r.properties.privateEndpoint === false,
    compliantValue: (r) =>
      (r.kind === 'storage.bucket' || r.kind === 'kms.key') &&
      r.properties.privateEndpoint === true,
  },
  {
    id: 'DD-COMPUTE-010',
    subject: byKind('compute.instance'),
    violates: (r) => r.kind === 'compute.instance' && r.properties.managedDisks === false,
    compliantValue: (r) => r.kind === 'compute.instance' && r.properties.managedDisks === true,
  },
  {
    id: 'DD-STORAGE-006',
    subject: account,
    violates: (r) => r.kind === 'storage.bucket' && r.properties.crossTenantReplication === true,
    compliantValue: (r) =>
      r.kind === 'storage.bucket' && r.properties.crossTenantReplication === false,
  },
];

export function catalogRule(id: string): CatalogRule {
  const rule = CATALOG.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** The rule a catalog fixture is for: "dd-net-001-violating-….json" → DD-NET-001. */
export function ruleOfFixture(file: string): { rule: CatalogRule; violating: boolean } | null {
  const named = catalogFixtureName(file);
  return named && { rule: catalogRule(named.ruleId), violating: named.violating };
}
