import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore, type FindingRecord } from '@drift-detective/findings';
import {
  ConfigurationNotIncluded,
  NormalizeError,
  ResourceDeletedNotice,
  unknownStorageBucket,
  type NativeRecord,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { assertValidResource } from '@drift-detective/testing';
import type { DeadLetterSink, Publisher, ReceivedEvent } from '../src/index.js';

export const ACCOUNT = '123456789012';
export const arn = (name: string) => `arn:aws:s3:::${name}`;

/** A native test item: a bucket that is public or not, a deletion, or something unreadable. */
export interface Item {
  readonly name?: string;
  readonly public?: boolean;
  /** When this state was observed (default 2026-11-01T00:00:00Z). */
  readonly observedAt?: string;
  readonly deleted?: string;
  /** When the deletion was recorded (a deletion item's capture time). */
  readonly deletedAt?: string;
  readonly broken?: boolean;
  /** An item that names a bucket but does not carry it, like an oversized AWS notification. */
  readonly oversized?: string;
}

const BLOCKED = (on: boolean) => ({
  blockPublicAcls: on,
  ignorePublicAcls: on,
  blockPublicPolicy: on,
  restrictPublicBuckets: on,
});

/** A normalized S3 bucket, schema-valid: public ones break DD-STORAGE-001. */
export function bucket(
  name: string,
  isPublic: boolean,
  observedAt = '2026-11-01T00:00:00Z',
): Resource {
  const resource = {
    provider: 'aws',
    kind: 'storage.bucket',
    nativeType: 'AWS::S3::Bucket',
    id: arn(name),
    name,
    account: ACCOUNT,
    region: 'us-east-1',
    tags: {},
    observedAt,
    native: { name },
    properties: {
      ...unknownStorageBucket(),
      publicAccessBlock: BLOCKED(!isPublic),
      encryption: { atRest: true, algorithm: 'AES256', keyId: null },
    },
  };
  assertValidResource(resource);
  return resource as Resource;
}

/** A tiny provider over { items: Item[] } documents: enough to drive the pipeline. */
export const testInventory: ProviderInventory = {
  provider: 'aws',
  detect: () => true,
  unwrap(document: unknown, source: string): NativeRecord[] {
    const items = (document as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) throw new NormalizeError(source, 'not a test document');
    return items.map((value, i) => ({ provider: 'aws', source: `${source}[${i}]`, value }));
  },
  collect: () => false,
  normalize(record: NativeRecord): Resource {
    const item = record.value as Item;
    if (item.deleted) {
      throw new ResourceDeletedNotice(record.source, arn(item.deleted), item.deletedAt);
    }
    if (item.oversized) {
      throw new ConfigurationNotIncluded(record.source, 'oversized item', { id: item.oversized });
    }
    if (item.broken || !item.name) throw new NormalizeError(record.source, 'item too large');
    return bucket(item.name, item.public ?? false, item.observedAt);
  },
  leftovers: () => [],
};

export async function tempStore(): Promise<{ store: SqliteStateStore; file: string }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'drift-pipeline-')), 'state.db');
  return { store: new SqliteStateStore(file), file };
}

/** A publisher that records batches; it fails while `failing` is set and can be slowed down. */
export class RecordingPublisher implements Publisher {
  readonly batches: FindingRecord[][] = [];
  failing = false;
  /** Resource names the hub refuses, for good (true) or for now (false). */
  refuse = new Map<string, boolean>();
  delayMs = 0;
  log: string[] = [];
  active = 0;
  maxActive = 0;

  async publish(batch: readonly FindingRecord[]): Promise<void> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    const names = batch.map((f) => f.resourceName).join(',');
    this.log.push(`enter ${names}`);
    try {
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      if (this.failing) throw new Error('hub unavailable');
      const refused = batch.filter((f) => this.refuse.has(f.resourceName));
      this.batches.push(batch.filter((f) => !this.refuse.has(f.resourceName)));
      if (refused.length > 0) {
        throw Object.assign(new Error('hub refused some'), {
          rejected: refused.map((f) => ({
            id: f.id,
            permanent: this.refuse.get(f.resourceName) ?? false,
            reason: `InvalidInput: ${f.resourceName}`,
          })),
        });
      }
    } finally {
      this.log.push(`exit ${names}`);
      this.active -= 1;
    }
  }

  get published(): FindingRecord[] {
    return this.batches.flat();
  }
}

export class RecordingDeadLetter implements DeadLetterSink {
  readonly items: { id: string; reason: string }[] = [];
  async put(event: ReceivedEvent, reason: string): Promise<void> {
    this.items.push({ id: event.id, reason });
  }
}

/** An event whose ack/nack are recorded, with the order relative to publishes. */
export class TestEvent implements ReceivedEvent {
  acked = false;
  nacked: { reason: string; retryAfterMs: number } | undefined;
  constructor(
    readonly id: string,
    readonly body: unknown,
    readonly receiveCount = 1,
    readonly source = `test:${id}`,
    private readonly onSettle?: (what: string) => void,
  ) {}
  async ack(): Promise<void> {
    this.acked = true;
    this.onSettle?.(`ack ${this.id}`);
  }
  async nack(reason: string, retryAfterMs: number): Promise<void> {
    this.nacked = { reason, retryAfterMs };
    this.onSettle?.(`nack ${this.id}`);
  }
}

export async function* events(...list: ReceivedEvent[]): AsyncIterable<ReceivedEvent> {
  for (const e of list) yield e;
}
