import type { InventoryContext, ResourceOf } from '@drift-detective/resource-model';
import { factsOf } from '../context.js';
import { idKey, parentId } from '../decode/arm-id.js';
import { armResource, type ArmRecord } from '../decode/arm-record.js';
import { asText } from '../decode/json.js';
import { T } from '../types.js';
import { emptyStorageProperties } from './storage-common.js';

const PUBLIC_ACCESS = new Map(['None', 'Blob', 'Container'].map((v) => [v.toLowerCase(), v]));

/**
 * A container's anonymous access level. ARM writes the string "None" for a private
 * container (not null): "None" | "Blob" | "Container". Other spellings are kept as
 * given; absent is unknown.
 * https://learn.microsoft.com/en-us/rest/api/storagerp/blob-containers/get#publicaccess
 */
function publicAccessOf(value: unknown): string | null {
  const text = asText(value);
  if (text === null) return null;
  return PUBLIC_ACCESS.get(text.trim().toLowerCase()) ?? text;
}

/**
 * A blob container. Its public level only takes effect when the account allows
 * public blob access, so the account's allowBlobPublicAccess is copied from the
 * inventory (null when the account is not in it).
 * https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-configure#about-anonymous-read-access
 */
export function normalizeBlobContainer(
  arm: ArmRecord,
  context: InventoryContext,
): ResourceOf<'storage.bucket'> {
  const accountId = parentId(arm.id, 'blobServices');
  const account = accountId ? factsOf(context).accounts.get(idKey(accountId)) : undefined;
  const result = emptyStorageProperties();
  result.containerPublicAccess = publicAccessOf(arm.properties['publicAccess']);
  result.allowBlobPublicAccess = account?.allowBlobPublicAccess ?? null;
  // Containers carry no location: they live in their account's region.
  const region = asText(arm.native['location']) ?? account?.region ?? null;
  return armResource(arm, context, 'storage.bucket', T.blobContainer, result, { region });
}
