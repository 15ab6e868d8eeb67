import {
  NormalizeError,
  ResourceDeletedNotice,
  type InventoryContext,
  type NativeRecord,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { readRecord, type AssetRecord } from './asset.js';
import { hierarchyNode, iamPolicies, orgPolicies } from './context.js';
import { compareText } from './decode/values.js';
import { detectDocument } from './envelope/detect.js';
import { isNetworkContextRecord } from './envelope/network-context.js';
import { unwrapDocument } from './envelope/unwrap.js';
import { collectFirewall, FIREWALL_POLICY_TYPE, FIREWALL_TYPE } from './network-firewall.js';
import { readFirewallPolicy } from './normalize/firewall-policy.js';
import { buildResource } from './resource.js';

/**
 * Cloud Asset Inventory → Resource.
 *
 * RESOURCE and IAM_POLICY content come as separate records for the same asset name (an export
 * per content type, a feed per content type): `collect` keeps the IAM_POLICY-only records,
 * `normalize` merges one into its RESOURCE record, and `leftovers` turns those whose RESOURCE
 * never came into resources of their own (the IAM facts alone, other properties unknown).
 * https://cloud.google.com/asset-inventory/docs/overview
 */
export const gcpInventory: ProviderInventory = {
  provider: 'gcp',

  detect: detectDocument,

  unwrap: unwrapDocument,

  collect(record: NativeRecord, context: InventoryContext): boolean {
    // Sent only as its network's context: collected, judged where it comes as itself.
    const contextOnly = isNetworkContextRecord(record.value);
    const value = contextOnly ? record.value.networkContext : record.value;
    let parsed: AssetRecord;
    try {
      parsed = readRecord(value, record.source);
    } catch (error) {
      // normalize reports it; a context copy is reported where it comes as itself.
      if (error instanceof NormalizeError) return contextOnly;
      throw error;
    }
    if (parsed.deleted) return contextOnly;
    const { asset } = parsed;
    const node = hierarchyNode(asset.name);
    if (asset.orgPolicies !== null && node !== null) {
      orgPolicies(context).set(node, asset.orgPolicies);
    }
    // A firewall rule is judged, and its denies are context for its network's other rules.
    collectFirewall(asset, record.source, context);
    if (contextOnly) return true;
    if (asset.resource !== null) return false;
    if (asset.iamPolicy !== null) {
      iamPolicies(context).set(asset.name, { record: parsed, source: record.source, used: false });
      return true;
    }
    // An ORG_POLICY-only record is context for the buckets below it.
    return asset.orgPolicies !== null && node !== null;
  },

  // Mirrors collect: org policies, firewall rules and policies, and the records that hold no RESOURCE
  // (IAM_POLICY only).
  contributesContext(record: NativeRecord): boolean {
    if (isNetworkContextRecord(record.value)) return true;
    try {
      const { asset, deleted } = readRecord(record.value, record.source);
      return (
        !deleted &&
        (asset.orgPolicies !== null ||
          asset.resource === null ||
          asset.assetType === FIREWALL_TYPE ||
          asset.assetType === FIREWALL_POLICY_TYPE)
      );
    } catch (error) {
      if (error instanceof NormalizeError) return false;
      throw error;
    }
  },

  normalize(record: NativeRecord, context: InventoryContext): Resource {
    const parsed = readRecord(record.value, record.source);
    const pending = iamPolicies(context).get(parsed.asset.name);
    // The IAM policy belongs to this record now (or to a deleted asset): no leftover for it.
    if (pending !== undefined) pending.used = true;
    if (parsed.deleted) {
      throw new ResourceDeletedNotice(
        record.source,
        parsed.asset.name,
        parsed.windowStart ?? undefined,
      );
    }
    // Not judged itself, but read for the firewall rules below it: one that cannot be read is
    // reported here, and leaves their policies unknown (collectFirewall).
    if (parsed.asset.assetType === FIREWALL_POLICY_TYPE) {
      readFirewallPolicy(parsed.asset.name, parsed.asset.resource?.data ?? null, record.source);
    }
    return buildResource(parsed, record.source, context, {
      iamPolicy: pending?.record.asset.iamPolicy ?? null,
      otherWhenUnreadable: false,
    });
  },

  leftovers(context: InventoryContext): Resource[] {
    const waiting = [...iamPolicies(context).entries()]
      .filter(([, pending]) => !pending.used)
      .sort(([a], [b]) => compareText(a, b));
    return waiting.map(([, pending]) => {
      pending.used = true;
      return buildResource(pending.record, pending.source, context, {
        iamPolicy: null,
        otherWhenUnreadable: true,
      });
    });
  },
};
