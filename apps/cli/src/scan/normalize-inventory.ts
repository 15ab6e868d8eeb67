import {
  createInventoryContext,
  NormalizeError,
  ResourceDeletedNotice,
  SCAN_TIME,
  type InventoryContext,
  type NativeRecord,
  type Provider,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { UsageError } from '../usage.js';
import { documentMode, readDocuments, type Document, type DocumentMode } from './documents.js';
import type { InputFile } from './inputs.js';

export interface NormalizeOptions {
  readonly inputs: readonly InputFile[];
  readonly inventories: readonly ProviderInventory[];
  /** --provider: skip detection. */
  readonly provider?: Provider | undefined;
  /** observedAt for records that carry no time of their own. */
  readonly scanTime?: string | undefined;
  /** Called every few hundred records with a running count, for progress output. */
  readonly onProgress?: ((records: number) => void) | undefined;
}

/** A record that was not turned into a resource, and why. */
export interface Skipped {
  readonly input: string;
  readonly reason: string;
}

export type Normalized =
  | { readonly resource: Resource }
  | {
      readonly skipped: Skipped;
      /** Set when the record is a deletion notice: the resource is gone, not unread. */
      readonly deleted?: {
        readonly provider: Provider;
        readonly resourceId: string;
        readonly deletedAt?: string | undefined;
      };
    };

const PROGRESS_EVERY = 500;

/**
 * Turns native inventories into normalized resources in two streaming passes:
 * the first lets each provider collect facts that span records (account-level
 * settings, IAM_POLICY records to merge), the second normalizes every record;
 * then each provider's leftovers (context-only records that never met their
 * resource). Nothing is held but the context: inputs are read again, not kept.
 */
export async function* normalizeInventory(options: NormalizeOptions): AsyncGenerator<Normalized> {
  const byProvider = new Map(options.inventories.map((inv) => [inv.provider, inv]));
  const scanTime = options.scanTime ?? new Date().toISOString();
  const contexts = new Map<Provider, InventoryContext>();
  const contextOf = (provider: Provider) => {
    let context = contexts.get(provider);
    if (!context) {
      context = createInventoryContext();
      context.set(SCAN_TIME, scanTime);
      contexts.set(provider, context);
    }
    return context;
  };
  const contextOnly = new Set<string>();
  const firstPassSkips: Skipped[] = [];

  function inventoryFor(document: { source: string; value: unknown }, wholeFile: boolean) {
    if (options.provider) return { inventory: byProvider.get(options.provider) };
    const matches = options.inventories.filter((inv) => inv.detect(document.value));
    if (matches.length === 1) return { inventory: matches[0] };
    const why =
      matches.length === 0
        ? 'cannot tell which cloud this input comes from; pass --provider aws|azure|gcp'
        : `input looks like ${matches.map((m) => m.provider).join(' and ')}; pass --provider`;
    // A whole file nobody can place is a usage error; one NDJSON line is skipped.
    if (wholeFile) throw new UsageError(`${document.source}: ${why}`);
    return { skipped: { input: document.source, reason: why } };
  }

  type Item =
    { inventory: ProviderInventory; record: NativeRecord; key: string } | { skipped: Skipped };

  // Sniffed once per input, not once per pass and again inside the reader.
  const modes = new Map<InputFile, DocumentMode>();
  for (const input of options.inputs) modes.set(input, await documentMode(input));

  async function* records(): AsyncGenerator<Item> {
    for (const input of options.inputs) {
      const mode = modes.get(input);
      const wholeFile = mode === 'whole';
      for await (const document of readDocuments(input, mode)) {
        if ('error' in document) {
          yield { skipped: { input: document.source, reason: document.error } };
          continue;
        }
        const placed = inventoryFor(document as Document & { value: unknown }, wholeFile);
        if (placed.skipped || !placed.inventory) {
          if (placed.skipped) yield { skipped: placed.skipped };
          continue;
        }
        let unwrapped: NativeRecord[];
        try {
          unwrapped = placed.inventory.unwrap(document.value, document.source);
        } catch (error) {
          if (!(error instanceof NormalizeError)) throw error;
          yield { skipped: { input: error.source, reason: error.reason } };
          continue;
        }
        for (const [index, record] of unwrapped.entries()) {
          yield { inventory: placed.inventory, record, key: `${document.source}#${index}` };
        }
      }
    }
  }

  // First pass: context. Skips found here are reported once, after it.
  for await (const item of records()) {
    if ('skipped' in item) {
      firstPassSkips.push(item.skipped);
      continue;
    }
    try {
      if (item.inventory.collect(item.record, contextOf(item.inventory.provider)))
        contextOnly.add(item.key);
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      firstPassSkips.push({ input: error.source, reason: error.reason });
      contextOnly.add(item.key);
    }
  }
  for (const skipped of firstPassSkips) yield { skipped };

  // Second pass: resources.
  let seen = 0;
  for await (const item of records()) {
    if ('skipped' in item || contextOnly.has(item.key)) continue;
    if (++seen % PROGRESS_EVERY === 0) options.onProgress?.(seen);
    try {
      yield { resource: item.inventory.normalize(item.record, contextOf(item.inventory.provider)) };
    } catch (error) {
      if (!(error instanceof NormalizeError)) throw error;
      const skipped = { input: error.source, reason: error.reason };
      if (error instanceof ResourceDeletedNotice) {
        yield {
          skipped,
          deleted: {
            provider: item.inventory.provider,
            resourceId: error.resourceId,
            deletedAt: error.deletedAt,
          },
        };
      } else {
        yield { skipped };
      }
    }
  }
  for (const [provider, context] of contexts) {
    for (const resource of byProvider.get(provider)?.leftovers(context) ?? []) yield { resource };
  }
}
