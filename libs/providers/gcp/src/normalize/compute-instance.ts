import type { ComputeInstanceProperties } from '@drift-detective/resource-model';
import { bool, isObject, sortedUnique, text, type JsonObject } from '../decode/values.js';
import type { NormalizerInput } from './input.js';

/**
 * compute.googleapis.com/Instance → compute.instance.
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances
 * The instance metadata settings are AWS IMDS notions: null.
 */
export function normalizeComputeInstance(input: NormalizerInput): ComputeInstanceProperties {
  const { data } = input;
  return {
    state: text(data?.['status']),
    metadataTokensRequired: null,
    metadataEndpointEnabled: null,
    publicIps: data === null ? null : publicIps(data),
    identities: data === null ? null : identities(data),
    ipForwarding: data === null ? null : bool(data['canIpForward']),
    serialPortEnabled: data === null ? null : inheritedFlag(data, 'serial-port-enable'),
    projectSshKeysBlocked: data === null ? null : sshKeysBlocked(data),
    osLoginEnabled: data === null ? null : inheritedFlag(data, 'enable-oslogin'),
    shieldedVm: data === null ? null : shieldedVm(data['shieldedInstanceConfig']),
    // Persistent Disks are always managed by Compute Engine.
    managedDisks: null,
  };
}

/**
 * A boolean metadata key as the instance sets it (metadata.items [{key, value}]), read as Compute
 * Engine reads it: TRUE/true/1 (also yes/y/on), FALSE/false/0 (also no/n/off); a value that is
 * neither is unknown (null). 'unset' when the instance's metadata does not set the key, null when
 * the record carries no `metadata` at all.
 * https://cloud.google.com/compute/docs/instances/interacting-with-serial-console
 */
function metadataFlag(data: JsonObject, key: string): boolean | null | 'unset' {
  const metadata = data['metadata'];
  if (!isObject(metadata)) return null;
  const items = metadata['items'];
  const item = Array.isArray(items)
    ? items.find((entry) => isObject(entry) && entry['key'] === key)
    : undefined;
  if (!isObject(item)) return 'unset';
  const value = text(item['value'])?.toLowerCase();
  if (value === undefined || value === null) return null;
  if (['true', '1', 'yes', 'y', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'n', 'off'].includes(value)) return false;
  return null;
}

/**
 * A key the instance does not set is inherited from the project's metadata, which the
 * inventory does not hold: unknown.
 */
function inheritedFlag(data: JsonObject, key: string): boolean | null {
  const flag = metadataFlag(data, key);
  return flag === 'unset' ? null : flag;
}

/**
 * block-project-ssh-keys is an instance setting only (a project cannot block its own keys), so
 * an instance whose metadata does not set it accepts the project's keys.
 * https://cloud.google.com/compute/docs/connect/restrict-ssh-keys#block-keys
 */
function sshKeysBlocked(data: JsonObject): boolean | null {
  const flag = metadataFlag(data, 'block-project-ssh-keys');
  return flag === 'unset' ? false : flag;
}

/**
 * shieldedInstanceConfig {enableSecureBoot, enableVtpm, enableIntegrityMonitoring}; an instance
 * whose image does not support Shielded VM has none: unknown.
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances#ShieldedInstanceConfig
 */
function shieldedVm(config: unknown): ComputeInstanceProperties['shieldedVm'] {
  if (!isObject(config)) return null;
  return {
    secureBoot: bool(config['enableSecureBoot']),
    vtpm: bool(config['enableVtpm']),
    integrityMonitoring: bool(config['enableIntegrityMonitoring']),
  };
}

/**
 * External addresses: networkInterfaces[].accessConfigs[].natIP (IPv4) and
 * ipv6AccessConfigs[].externalIpv6. An access config without natIP (a stopped instance with an
 * ephemeral address) has no address now. Every instance has a network interface, so a record
 * without `networkInterfaces` was trimmed: unknown.
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances#AccessConfig
 */
function publicIps(data: JsonObject): string[] | null {
  const interfaces = data['networkInterfaces'];
  if (!Array.isArray(interfaces)) return null;
  const ips: string[] = [];
  for (const nic of interfaces) {
    if (!isObject(nic)) return null;
    for (const [listKey, ipKey] of [
      ['accessConfigs', 'natIP'],
      ['ipv6AccessConfigs', 'externalIpv6'],
    ] as const) {
      // Absent is none (proto3 JSON omits empty lists and unset fields); JSON null or any other
      // type is unreadable, so an address cannot be dropped by a serializer quirk.
      const configs = nic[listKey];
      if (configs === undefined) continue;
      if (!Array.isArray(configs)) return null;
      for (const config of configs) {
        if (!isObject(config)) return null;
        const ip = config[ipKey];
        if (ip === undefined) continue;
        if (typeof ip !== 'string') return null;
        ips.push(ip);
      }
    }
  }
  return sortedUnique(ips);
}

/**
 * serviceAccounts[].email; an instance created without a service account has no
 * `serviceAccounts` key (proto3 JSON omits empty lists), so absent means none; a null (no
 * API writes one) is unknown.
 * https://cloud.google.com/compute/docs/reference/rest/v1/instances#ServiceAccount
 */
function identities(data: JsonObject): string[] | null {
  const accounts = data['serviceAccounts'];
  if (accounts === undefined) return [];
  if (!Array.isArray(accounts)) return null;
  const emails: string[] = [];
  for (const account of accounts) {
    const email = isObject(account) ? text(account['email']) : null;
    if (email === null) return null;
    emails.push(email);
  }
  return sortedUnique(emails);
}
