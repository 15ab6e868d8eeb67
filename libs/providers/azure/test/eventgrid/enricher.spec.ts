import {
  createInventoryContext,
  NormalizeError,
  ResourceDeletedNotice,
} from '@drift-detective/resource-model';
import { describe, expect, it } from 'vitest';
import type { JudgementRead } from '../../src/arm/read-resource.js';
import { azureInventory } from '../../src/index.js';
import { eventGridEnricher } from '../../src/eventgrid/enricher.js';
import { isJudgement, judgement, withEventGridJudgements } from '../../src/eventgrid/judgement.js';
import {
  CHANGE_NOTICE,
  unreadableNotice,
  type ResourceChangeNotice,
} from '../../src/eventgrid/resource-change.js';
import { native } from '../helpers.js';

const ACCOUNT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a';
const CONTAINER = `${ACCOUNT}/blobServices/default/containers/c`;
const AT = '2030-01-01T00:00:00.000Z';
const notice = (operation: 'write' | 'delete', resourceId = ACCOUNT): ResourceChangeNotice => ({
  kind: CHANGE_NOTICE,
  operation,
  resourceId,
  eventId: 'e1',
  eventType: 'Microsoft.Resources.ResourceWriteSuccess',
  change: { changedAt: AT, relatedEvents: ['e1'] },
});
const found = (...document: unknown[]): JudgementRead => ({
  status: 'found',
  judgedId: ACCOUNT,
  document,
});

function enricher(answer: (id: string) => JudgementRead) {
  const reads: string[] = [];
  const enrich = eventGridEnricher({
    readResource: async (id, signal) => {
      expect(signal).toBeInstanceOf(AbortSignal);
      reads.push(id);
      return answer(id);
    },
    attributed: (resource, change) => ({ wrapped: resource, change }),
  });
  return { enrich, reads };
}

describe('eventGridEnricher', () => {
  it('re-reads a written resource and wraps the judged body with the change, children as read', async () => {
    const { enrich, reads } = enricher(() => found({ id: ACCOUNT }, { id: CONTAINER }));
    expect(await enrich(notice('write'), 'src')).toEqual(
      judgement(
        [],
        [{ wrapped: { id: ACCOUNT }, change: notice('write').change }, { id: CONTAINER }],
      ),
    );
    expect(reads).toEqual([ACCOUNT]);
  });

  it('reports a resource written then deleted as deleted, and judges nothing when only its parent is gone', async () => {
    const gone = (judgedIsRequested: boolean) =>
      enricher(() => ({ status: 'gone', judgedId: ACCOUNT, judgedIsRequested }));
    expect(await gone(true).enrich(notice('write'), 'src')).toEqual(
      judgement([{ resourceId: ACCOUNT }], []),
    );
    expect(await gone(false).enrich(notice('write', CONTAINER), 'src')).toEqual(judgement([], []));
    const unsupported = enricher(() => ({ status: 'unsupported', resourceId: ACCOUNT }));
    expect(await unsupported.enrich(notice('write'), 'src')).toEqual(judgement([], []));
  });

  it('reports a deletion at the event time; only a child’s delete re-reads its judged parent', async () => {
    const { enrich, reads } = enricher(() => found({ id: ACCOUNT }));
    expect(await enrich(notice('delete'), 'src')).toEqual(
      judgement([{ resourceId: ACCOUNT, deletedAt: AT }], []),
    );
    expect(reads).toEqual([]);
    expect(await enrich(notice('delete', CONTAINER), 'src')).toEqual(
      judgement(
        [{ resourceId: CONTAINER, deletedAt: AT }],
        [{ wrapped: { id: ACCOUNT }, change: notice('delete').change }],
      ),
    );
    expect(reads).toEqual([CONTAINER]);
    const parentGone = enricher(() => ({
      status: 'gone',
      judgedId: ACCOUNT,
      judgedIsRequested: false,
    }));
    expect(await parentGone.enrich(notice('delete', CONTAINER), 'src')).toEqual(
      judgement([{ resourceId: CONTAINER, deletedAt: AT }, { resourceId: ACCOUNT }], []),
    );
  });

  it('makes an unreadable event poison, a failed read transient, and passes other documents', async () => {
    const { enrich } = enricher(() => {
      throw new Error('ARM answered 503');
    });
    await expect(enrich(unreadableNotice('no resource', {}), 'src')).rejects.toBeInstanceOf(
      NormalizeError,
    );
    const failed = enrich(notice('write'), 'src');
    await expect(failed).rejects.toThrow('ARM answered 503');
    await expect(failed).rejects.not.toBeInstanceOf(NormalizeError);
    expect(await enrich({ value: [] }, 'src')).toEqual({ value: [] });
  });
});

describe('withEventGridJudgements', () => {
  const inventory = withEventGridJudgements(azureInventory);

  it('turns deletions into ResourceDeletedNotice and reads documents with the inventory', () => {
    const account = native('dd-storage-001-violating-blob-public-access.json');
    const doc = judgement([{ resourceId: ACCOUNT, deletedAt: AT }], [account]);
    expect(isJudgement(doc) && inventory.detect(doc)).toBe(true);
    const [deletion, read, ...rest] = inventory.unwrap(doc, 'eventgrid:x/e1');
    expect(rest).toEqual([]);
    const context = createInventoryContext();
    expect(inventory.collect(deletion!, context)).toBe(false);
    let notice: unknown;
    try {
      inventory.normalize(deletion!, context);
    } catch (error) {
      notice = error;
    }
    expect(notice).toBeInstanceOf(ResourceDeletedNotice);
    expect(notice).toMatchObject({ resourceId: ACCOUNT, deletedAt: AT });
    expect(read?.source).toBe('eventgrid:x/e1[0]');
    expect(inventory.normalize(read!, context).kind).toBe('storage.bucket');
  });

  it('leaves every other document to the inventory', () => {
    const row = native('dd-storage-001-violating-blob-public-access.json');
    expect(inventory.unwrap(row, 'f')).toEqual(azureInventory.unwrap(row, 'f'));
    expect(inventory.detect(row)).toBe(azureInventory.detect(row));
  });
});
