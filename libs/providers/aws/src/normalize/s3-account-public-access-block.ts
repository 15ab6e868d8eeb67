import { NormalizeError, type InventoryContext } from '@drift-detective/resource-model';
import {
  accountPublicAccessBlockKey,
  readPublicAccessBlock,
} from '../decode/public-access-block.js';
import { nonEmptyString, own, stringOr } from '../decode/values.js';
import { DELETED_STATUSES, envelopeAccount, readItem } from '../item/config-item.js';
import type { ItemWithDiff } from '../envelope/message.js';

export const ACCOUNT_PUBLIC_ACCESS_BLOCK = 'AWS::S3::AccountPublicAccessBlock';

/**
 * AWS::S3::AccountPublicAccessBlock is no resource of its own: its settings
 * apply to every bucket of the account
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html),
 * so the first pass keeps them in the context under the account id (the item's
 * resourceId is the account id) and the bucket normalizer reads them.
 * Returns false when the item cannot be read, so that normalize reports why.
 */
export function collectAccountPublicAccessBlock(
  { item }: ItemWithDiff,
  source: string,
  context: InventoryContext,
): boolean {
  if (DELETED_STATUSES.includes(stringOr(own(item, 'configurationItemStatus')) ?? '')) return true;
  let configuration;
  try {
    configuration = readItem(item, source).configuration;
  } catch (error) {
    if (error instanceof NormalizeError) return false;
    throw error;
  }
  const settings = readPublicAccessBlock(configuration);
  let account;
  try {
    account = envelopeAccount(item, source) ?? nonEmptyString(own(item, 'resourceId'));
  } catch (error) {
    if (error instanceof NormalizeError) return false;
    throw error;
  }
  if (settings === null || account === null) return false;
  context.set(accountPublicAccessBlockKey(account), settings);
  return true;
}

export function accountPublicAccessBlockIsContext(source: string): NormalizeError {
  return new NormalizeError(
    source,
    `${ACCOUNT_PUBLIC_ACCESS_BLOCK} is context for the account's buckets (read by collect), not a resource of its own`,
  );
}
