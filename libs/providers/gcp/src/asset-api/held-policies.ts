import { hierarchyNode } from '../context.js';
import { compareText, stringList, type JsonObject } from '../decode/values.js';

/**
 * The IAM_POLICY and ORG_POLICY records of a sweep, held while its RESOURCE pages stream
 * past (there are far fewer of them), so that each page document carries what the
 * inventory merges into that page's resources:
 * - an asset's IAM_POLICY record beside its RESOURCE record: gcpInventory merges the two
 *   when they share a document (inventory.ts), as the offline scan of an export does;
 * - the ORG_POLICY records of the nodes above the page's assets: organization policies are
 *   context for the buckets below them (org-policy.ts), read from the same document.
 */
export class HeldPolicies {
  private readonly iam = new Map<string, JsonObject>();
  private readonly org = new Map<string, JsonObject>();
  /** Asset names whose IAM record went out with their RESOURCE record in this run. */
  private readonly taken = new Set<string>();

  constructor(iamRecords: readonly JsonObject[], orgRecords: readonly JsonObject[]) {
    // One record per asset name, the last one kept, as the inventory's context does.
    for (const record of iamRecords) {
      if (typeof record['name'] === 'string') this.iam.set(record['name'], record);
    }
    for (const record of orgRecords) {
      const node = typeof record['name'] === 'string' ? hierarchyNode(record['name']) : null;
      if (node !== null) this.org.set(node, record);
    }
  }

  /**
   * The document of one RESOURCE page: the ORG_POLICY records of the nodes the page's assets
   * sit under, the page's records in their order, then the IAM_POLICY records of the same
   * asset names. Record order within a document does not matter to the inventory: it
   * collects context from every record before it normalizes any.
   */
  resourceDocument(resources: readonly JsonObject[]): JsonObject[] {
    const iam = new Map<string, JsonObject>();
    for (const resource of resources) {
      const name = resource['name'];
      const record = typeof name === 'string' ? this.iam.get(name) : undefined;
      if (typeof name !== 'string' || record === undefined) continue;
      this.taken.add(name);
      iam.set(name, record);
    }
    return [...this.orgRecordsAbove(resources), ...resources, ...iam.values()];
  }

  /** Whether an IAM_POLICY record went out with its RESOURCE record in this run. */
  isTaken(name: string): boolean {
    return this.taken.has(name);
  }

  /** IAM_POLICY records not taken by a RESOURCE record in this run, in name order. */
  untaken(): JsonObject[] {
    return [...this.iam.entries()]
      .filter(([name]) => !this.taken.has(name))
      .sort(([a], [b]) => compareText(a, b))
      .map(([, record]) => record);
  }

  /** A document of IAM_POLICY records no RESOURCE record took, with their org policies. */
  leftoverDocument(records: readonly JsonObject[]): JsonObject[] {
    return [...this.orgRecordsAbove(records), ...records];
  }

  private orgRecordsAbove(records: readonly JsonObject[]): JsonObject[] {
    const nodes = new Set<string>();
    for (const record of records) {
      for (const ancestor of stringList(record['ancestors']) ?? []) nodes.add(ancestor);
    }
    return [...nodes].sort(compareText).flatMap((node) => {
      const record = this.org.get(node);
      return record === undefined ? [] : [record];
    });
  }
}
