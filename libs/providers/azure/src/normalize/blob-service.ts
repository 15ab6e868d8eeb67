import type { InventoryContext } from '@drift-detective/resource-model';
import { factsOf } from '../context.js';
import { idKey, parentId } from '../decode/arm-id.js';
import type { ArmRecord } from '../decode/arm-record.js';
import { asBoolean } from '../decode/json.js';

/**
 * First pass: a blobServices/default record only carries its account's blob
 * settings; isVersioningEnabled is absent until versioning was ever configured
 * (→ unknown).
 * https://learn.microsoft.com/en-us/rest/api/storagerp/blob-services/get-service-properties
 * Returns false when the record names no account, so it is reported, not dropped.
 */
export function collectBlobService(arm: ArmRecord, context: InventoryContext): boolean {
  const accountId = parentId(arm.id, 'blobServices');
  if (accountId === null) return false;
  factsOf(context).blobServices.set(idKey(accountId), {
    accountId,
    versioning: asBoolean(arm.properties['isVersioningEnabled']),
    native: arm.native,
  });
  return true;
}
