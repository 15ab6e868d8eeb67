import {
  ResourceDeletedNotice,
  type InventoryContext,
  type NativeRecord,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { isObject } from '../decode/json.js';

export const JUDGEMENT = 'drift.azure.eventgrid.judgement';
const DELETION = 'drift.azure.eventgrid.deletion';

/** A resource the event reports deleted, and when. */
export interface Deletion {
  readonly resourceId: string;
  readonly deletedAt?: string;
}

/**
 * What the enricher makes of a change notice: the resources to resolve as
 * deleted and the re-read documents to judge (each wrapped with the change).
 */
export interface EventGridJudgement {
  readonly kind: typeof JUDGEMENT;
  readonly deleted: readonly Deletion[];
  readonly documents: readonly unknown[];
}

export function judgement(
  deleted: readonly Deletion[],
  documents: readonly unknown[],
): EventGridJudgement {
  return { kind: JUDGEMENT, deleted, documents };
}

export function isJudgement(value: unknown): value is EventGridJudgement {
  return (
    isObject(value) &&
    value['kind'] === JUDGEMENT &&
    Array.isArray(value['deleted']) &&
    Array.isArray(value['documents'])
  );
}

interface DeletionRecord {
  readonly kind: typeof DELETION;
  readonly resourceId: string;
  readonly deletedAt?: string;
}

function isDeletionRecord(
  record: NativeRecord,
): record is NativeRecord & { value: DeletionRecord } {
  return isObject(record.value) && record.value['kind'] === DELETION;
}

/**
 * The inventory, also reading EventGridJudgement documents: each deletion
 * becomes a ResourceDeletedNotice (deletedAt = the event time, so an older
 * state arriving later cannot bring the resource back), each document is read
 * by the inventory as usual. Everything else goes to the inventory untouched.
 */
export function withEventGridJudgements(inventory: ProviderInventory): ProviderInventory {
  return {
    provider: inventory.provider,
    caseInsensitiveIds: inventory.caseInsensitiveIds,
    detect: (document) => isJudgement(document) || inventory.detect(document),
    unwrap(document: unknown, source: string): NativeRecord[] {
      if (!isJudgement(document)) return inventory.unwrap(document, source);
      const deletions = document.deleted.map((d, i): NativeRecord => ({
        provider: inventory.provider,
        source: `${source}#deleted[${i}]`,
        value: { kind: DELETION, ...d } satisfies DeletionRecord,
      }));
      const read = document.documents.flatMap((d, i) => inventory.unwrap(d, `${source}[${i}]`));
      return [...deletions, ...read];
    },
    collect: (record: NativeRecord, context: InventoryContext) =>
      !isDeletionRecord(record) && inventory.collect(record, context),
    normalize(record: NativeRecord, context: InventoryContext): Resource {
      if (isDeletionRecord(record)) {
        throw new ResourceDeletedNotice(
          record.source,
          record.value.resourceId,
          record.value.deletedAt,
        );
      }
      return inventory.normalize(record, context);
    },
    leftovers: (context: InventoryContext) => inventory.leftovers(context),
  };
}
