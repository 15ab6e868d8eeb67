import type { Provider } from './common.js';
import type { Resource } from './resource.js';

/**
 * A native record that could not be normalized. The only error a normalizer
 * may throw: it names the record and the problem, and the record is then
 * reported as skipped — never as compliant.
 */
export class NormalizeError extends Error {
  override readonly name = 'NormalizeError';
  constructor(
    /** Where the record came from: "file.json[3]", "export.ndjson:17", an ARN… */
    readonly source: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${source}: ${reason}`, options);
  }
}

/** One native record, unwrapped from its envelope, with where it came from. */
export interface NativeRecord {
  readonly provider: Provider;
  /** file[index] or file:line, for messages. */
  readonly source: string;
  /** The native payload (a configuration item, an ARM resource, a Cloud Asset record…). */
  readonly value: unknown;
}

/**
 * Facts that span records of one inventory: an AWS account's Block Public
 * Access for its buckets, an Azure storage account's settings for its
 * containers, a GCP asset's IAM_POLICY record for its RESOURCE record. A
 * provider fills it in a first pass over the inventory and reads it while
 * normalizing.
 */
export interface InventoryContext {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export function createInventoryContext(): InventoryContext {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: (key, value) => void values.set(key, value),
  };
}

/** What the offline scan and the adapters need from each provider library. */
export interface ProviderInventory {
  readonly provider: Provider;
  /** Whether a parsed JSON document (or NDJSON line) is this provider's input. */
  detect(document: unknown): boolean;
  /** Unwraps one document (envelope, list, page, event…) into native records. Throws NormalizeError on a shape it cannot read. */
  unwrap(document: unknown, source: string): NativeRecord[];
  /**
   * First pass: records the facts this record gives others. Returns true when
   * the record is only context (it will be normalized as part of another).
   */
  collect(record: NativeRecord, context: InventoryContext): boolean;
  /** Second pass: the normalized resource. Throws NormalizeError. */
  normalize(record: NativeRecord, context: InventoryContext): Resource;
  /** After the second pass: resources made only of context (e.g. an IAM_POLICY record whose RESOURCE never came). */
  leftovers(context: InventoryContext): Resource[];
}
