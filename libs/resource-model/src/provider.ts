import type { Provider } from './common.js';
import type { Resource } from './resource.js';

/**
 * A native record that could not be normalized. The only error a normalizer
 * may throw: it names the record and the problem, and the record is then
 * reported as skipped — never as compliant.
 */
export class NormalizeError extends Error {
  override readonly name: string = 'NormalizeError';
  constructor(
    /** Where the record came from: "file.json[3]", "export.ndjson:17", an ARN… */
    readonly source: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${source}: ${reason}`, options);
  }
}

/**
 * A record that describes a deletion (an AWS item with status ResourceDeleted,
 * a Cloud Asset feed message with deleted: true, an Event Grid DeleteSuccess).
 * It is no resource state to evaluate: the scan lists it as skipped, and the
 * event pipeline resolves the resource's findings.
 */
export class ResourceDeletedNotice extends NormalizeError {
  override readonly name = 'ResourceDeletedNotice';
  constructor(
    source: string,
    readonly resourceId: string,
    /** When the deletion was recorded (RFC 3339), when the record says. */
    readonly deletedAt?: string | undefined,
  ) {
    super(source, `resource deleted: ${resourceId}`);
  }
}

/**
 * A record that names its resource but does not carry its configuration (an
 * AWS "Oversized Configuration Item Change" notification). An adapter fetches
 * the configuration with the cloud's API and normalizes that instead; offline,
 * it is reported as skipped.
 */
export class ConfigurationNotIncluded extends NormalizeError {
  override readonly name = 'ConfigurationNotIncluded';
  constructor(
    source: string,
    reason: string,
    /** What the record says about the resource, for the fetch. */
    readonly resource: {
      readonly type?: string | undefined;
      readonly id?: string | undefined;
      readonly region?: string | undefined;
      readonly account?: string | undefined;
    },
  ) {
    super(source, reason);
  }
}

/** Context key of the scan's start time (RFC 3339): observedAt for records that carry no time. */
export const SCAN_TIME = 'scanTime';

/** The record's own time when it has one, else the scan time, else now. */
export function observedAtOr(context: InventoryContext, recordTime?: string | null): string {
  return recordTime ?? context.get<string>(SCAN_TIME) ?? new Date().toISOString();
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
  /** Every fact, to hand a copy to another thread (the values are plain data). */
  entries(): [string, unknown][];
}

/** An empty context, or one holding `entries` (a copy another thread made). */
export function createInventoryContext(
  entries: Iterable<[string, unknown]> = [],
): InventoryContext {
  const values = new Map<string, unknown>(entries);
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    set: (key, value) => void values.set(key, value),
    entries: () => [...values],
  };
}

/** What the offline scan and the adapters need from each provider library. */
export interface ProviderInventory {
  readonly provider: Provider;
  /**
   * Whether this cloud's resource ids ignore case (Azure's ARM ids do): a
   * deletion spelled in another case must still find the resource's findings.
   */
  readonly caseInsensitiveIds?: boolean | undefined;
  /** Whether a parsed JSON document (or NDJSON line) is this provider's input. */
  detect(document: unknown): boolean;
  /** Unwraps one document (envelope, list, page, event…) into native records. Throws NormalizeError on a shape it cannot read. */
  unwrap(document: unknown, source: string): NativeRecord[];
  /**
   * First pass: records the facts this record gives others. Returns true when
   * the record is only context (it will be normalized as part of another).
   */
  collect(record: NativeRecord, context: InventoryContext): boolean;
  /**
   * Whether collect may take anything from this record; when false, collect
   * would change nothing and return false, and is not called. A first pass
   * spread over threads sends back only these records to the thread that
   * keeps the context. Absent: any record may.
   */
  contributesContext?(record: NativeRecord): boolean;
  /**
   * Whether normalizing this record may read what collect gathers from other
   * records (the scan time aside). When false, and the record gives no
   * context, it comes out the same before the first pass is over: a scan then
   * judges it on its first reading instead of reading it twice. Absent: every
   * record may.
   */
  needsContext?(record: NativeRecord): boolean;
  /** Second pass: the normalized resource. Throws NormalizeError. */
  normalize(record: NativeRecord, context: InventoryContext): Resource;
  /**
   * Set when normalize only reads the context the first pass filled (it
   * changes nothing there): an offline scan may then normalize this
   * provider's records on worker threads, each with a copy of the context.
   */
  readonly normalizeReadsContextOnly?: boolean | undefined;
  /** After the second pass: resources made only of context (e.g. an IAM_POLICY record whose RESOURCE never came). */
  leftovers(context: InventoryContext): Resource[];
}
