// The first pass spread over threads sends back only the records a provider
// says may give context: for every other record of the samples, collect must
// change nothing and return false, or facts would be lost on the way.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  createInventoryContext,
  NormalizeError,
  SCAN_TIME,
  type NativeRecord,
} from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import { readDocuments } from '../src/scan/documents.js';
import { INVENTORIES } from '../src/scan/inventories.js';
import { workspaceRoot } from './cli-process.js';

/** The records of a cloud's samples and of its native fixtures (one per rule and case). */
async function recordsOf(cloud: string): Promise<NativeRecord[]> {
  const inventory = INVENTORIES.find((inv) => inv.provider === cloud);
  const dirs = [
    path.join(workspaceRoot, 'samples', cloud),
    path.join(workspaceRoot, 'libs', 'providers', cloud, 'test', 'fixtures', 'native'),
  ];
  const records: NativeRecord[] = [];
  for (const dir of dirs) {
    for (const file of (await readdir(dir)).sort()) {
      if (!/\.(json|ndjson)$/.test(file)) continue;
      for await (const document of readDocuments({ path: path.join(dir, file), label: file })) {
        if ('error' in document || !inventory?.detect(document.value)) continue;
        try {
          records.push(...inventory.unwrap(document.value, document.source));
        } catch (error) {
          if (!(error instanceof NormalizeError)) throw error;
        }
      }
    }
  }
  return records;
}

describe('contributesContext', () => {
  it.each(INVENTORIES.map((inv) => [inv.provider, inv] as const))(
    'is true of every %s sample and fixture record collect takes anything from',
    async (cloud, inventory) => {
      const records = await recordsOf(cloud);
      let contributing = 0;
      for (const record of records) {
        const says = inventory.contributesContext?.(record);
        expect(says, `${cloud} declares which records give context`).toBeTypeOf('boolean');
        if (says) {
          contributing++;
          continue;
        }
        const context = createInventoryContext([[SCAN_TIME, '2026-11-30T12:00:00Z']]);
        const before = context.entries();
        let took: boolean;
        try {
          took = inventory.collect(record, context);
        } catch (error) {
          if (!(error instanceof NormalizeError)) throw error;
          took = true; // reported by collect: it had to see the record
        }
        expect(took, record.source).toBe(false);
        expect(isDeepStrictEqual(context.entries(), before), record.source).toBe(true);
      }
      // Neither all nor none: the records hold context and resources.
      expect(contributing).toBeGreaterThan(0);
      expect(contributing).toBeLessThan(records.length);
    },
  );
});

/** What normalize makes of a record: the resource, or why not. */
function normalized(
  inventory: (typeof INVENTORIES)[number],
  record: NativeRecord,
  context: ReturnType<typeof createInventoryContext>,
): unknown {
  try {
    return inventory.normalize(record, context);
  } catch (error) {
    if (!(error instanceof NormalizeError)) throw error;
    return { error: error.reason };
  }
}

// A streamed record that needs no context is judged in the first pass, before the context
// is complete: it must come out the same as it would from the finished context.
describe('needsContext', () => {
  // Only the clouds that declare it: a cloud without it never has a record judged early.
  const declaring = INVENTORIES.filter((inv) => inv.needsContext !== undefined);

  it('is declared by the clouds normalized on the threads', () => {
    expect(declaring.map((inv) => inv.provider)).toEqual(
      INVENTORIES.filter((inv) => inv.normalizeReadsContextOnly).map((inv) => inv.provider),
    );
  });

  it.each(declaring.map((inv) => [inv.provider, inv] as const))(
    'is true of every %s sample and fixture record whose resource the context changes',
    async (cloud, inventory) => {
      const records = await recordsOf(cloud);
      const full = createInventoryContext([[SCAN_TIME, '2026-11-30T12:00:00Z']]);
      for (const record of records) {
        try {
          inventory.collect(record, full);
        } catch (error) {
          if (!(error instanceof NormalizeError)) throw error;
        }
      }
      let early = 0;
      for (const record of records) {
        if (inventory.contributesContext?.(record) !== false) continue;
        if (inventory.needsContext?.(record) !== false) continue;
        early++;
        const bare = createInventoryContext([[SCAN_TIME, '2026-11-30T12:00:00Z']]);
        expect(normalized(inventory, record, bare), record.source).toEqual(
          normalized(inventory, record, full),
        );
      }
      // It judges most records early, and keeps some back.
      expect(early).toBeGreaterThan(0);
      expect(early).toBeLessThan(records.length);
    },
  );

  it('is true of the records whose normalizer reads the context (a bucket, an account, a server, a container)', () => {
    const aws = INVENTORIES.find((inv) => inv.provider === 'aws');
    const azure = INVENTORIES.find((inv) => inv.provider === 'azure');
    const item = (resourceType: string) => ({
      provider: 'aws' as const,
      source: 'x',
      value: { resourceType, configuration: {}, configurationItemStatus: 'OK' },
    });
    expect(aws?.needsContext?.(item('AWS::S3::Bucket'))).toBe(true);
    expect(aws?.needsContext?.(item('AWS::EC2::SecurityGroup'))).toBe(false);
    expect(aws?.needsContext?.({ provider: 'aws', source: 'x', value: { nothing: 1 } })).toBe(true);
    const arm = (type: string) => ({
      provider: 'azure' as const,
      source: 'x',
      value: { id: `/subscriptions/s/x/${type}`, type, name: 'n' },
    });
    for (const type of [
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Sql/servers',
      'Microsoft.Storage/storageAccounts/blobServices/containers',
    ]) {
      expect(azure?.needsContext?.(arm(type)), type).toBe(true);
    }
    expect(azure?.needsContext?.(arm('Microsoft.Network/networkSecurityGroups'))).toBe(false);
  });
});
