import {
  NormalizeError,
  observedAtOr,
  ResourceDeletedNotice,
  type InventoryContext,
  type NativeRecord,
  type Resource,
} from '@drift-detective/resource-model';
import { parseArn } from '../decode/arn.js';
import { itemCaptureTime } from '../decode/capture-time.js';
import { tagsOf } from '../decode/tags.js';
import { nonEmptyString, own, stringOr, type JsonObject } from '../decode/values.js';
import { changeOf, itemOf } from '../envelope/message.js';
import {
  DELETED_STATUSES,
  envelopeAccount,
  envelopeArn,
  nativeOf,
  readItem,
} from '../item/config-item.js';
import { normalizerOf } from './registry.js';
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK,
  accountPublicAccessBlockIsContext,
} from './s3-account-public-access-block.js';

/**
 * One native record → Resource. The record is a configuration item, or a
 * change notification holding one (its configurationItemDiff becomes
 * resource.change).
 */
export function normalizeRecord(record: NativeRecord, context: InventoryContext): Resource {
  const { source } = record;
  const { item: raw, diff } = itemOf(record.value, source);
  // Read first, so that an account or a time that is none names itself as the reason.
  const statedAccount = envelopeAccount(raw, source);
  const capturedAt = itemCaptureTime(raw, source);

  // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationItem.html
  // (configurationItemStatus): a deleted resource has no state to evaluate.
  const status = stringOr(own(raw, 'configurationItemStatus'));
  if (status !== null && DELETED_STATUSES.includes(status)) {
    const id = envelopeArn(raw) ?? nonEmptyString(own(raw, 'resourceId'));
    if (id === null) throw new NormalizeError(source, `${status} item names no resource`);
    throw new ResourceDeletedNotice(source, id, capturedAt ?? undefined);
  }

  const item = readItem(raw, source);
  const type = item.resourceType;
  if (type === null) {
    throw new NormalizeError(source, 'no resourceType, and none can be told from the item');
  }
  if (type === ACCOUNT_PUBLIC_ACCESS_BLOCK) throw accountPublicAccessBlockIsContext(source);

  const observedAt = observedAtOr(context, capturedAt);
  const region = nonEmptyString(own(raw, 'awsRegion'));
  const resourceId = nonEmptyString(own(raw, 'resourceId'));
  const resourceName = nonEmptyString(own(raw, 'resourceName'));
  const normalizer = normalizerOf(type);

  let configuration = item.configuration;
  let supplementary = item.supplementary;
  let base: Omit<Resource, 'kind' | 'properties'>;
  let resource: Resource;

  if (normalizer === undefined) {
    const id = envelopeArn(raw) ?? configurationArn(configuration);
    if (id === null) throw new NormalizeError(source, `${type} item has no ARN`);
    base = baseOf(raw, id, type, observedAt, configuration, supplementary, {
      region,
      account: statedAccount,
      name: resourceName ?? resourceId,
    });
    resource = { ...base, kind: 'other', properties: {} };
  } else {
    if (configuration === null) {
      const why = status === null ? '' : ` (status ${status})`;
      throw new NormalizeError(source, `${type} item has no configuration${why}`);
    }
    if (normalizer.decode) {
      ({ configuration, supplementary } = normalizer.decode(
        { configuration, supplementary },
        source,
      ));
    }
    const account = statedAccount ?? normalizer.account?.(configuration) ?? null;
    const id =
      envelopeArn(raw) ??
      normalizer.arn({ configuration, region, account, resourceId, resourceName });
    if (id === null) {
      throw new NormalizeError(
        source,
        `${type} item has no ARN and too little to build one (awsRegion, account, identifier)`,
      );
    }
    base = baseOf(raw, id, type, observedAt, configuration, supplementary, {
      region,
      account,
      name: resourceName ?? resourceId ?? normalizer.name?.(configuration) ?? null,
    });
    const properties = normalizer.properties({
      source,
      id,
      account: base.account,
      region: base.region,
      configuration,
      supplementary,
      context,
    });
    resource = { ...base, kind: normalizer.kind, properties } as Resource;
  }

  if (diff !== null) resource.change = changeOf(diff, raw, capturedAt);
  return resource;
}

function baseOf(
  raw: JsonObject,
  id: string,
  nativeType: string,
  observedAt: string,
  configuration: JsonObject | null,
  supplementary: JsonObject | null,
  known: { region: string | null; account: string | null; name: string | null },
): Omit<Resource, 'kind' | 'properties'> {
  const arn = parseArn(id);
  return {
    provider: 'aws',
    nativeType,
    id,
    // The envelope's name, else the type's own identifier, else the ARN's resource part.
    name: known.name ?? arn?.resource ?? id,
    // An account the item does not state is read from the ARN; S3 ARNs carry none
    // (a SelectResourceConfig row of a bucket then has no account at all: "").
    account: known.account ?? nonEmptyString(arn?.account) ?? '',
    region: known.region ?? nonEmptyString(arn?.region) ?? null,
    tags: tagsOf(raw, configuration, supplementary),
    observedAt,
    native: nativeOf(raw, configuration, supplementary),
  };
}

function configurationArn(configuration: JsonObject | null): string | null {
  if (configuration === null) return null;
  for (const key of ['arn', 'Arn', 'ARN']) {
    const value = own(configuration, key);
    if (parseArn(value) !== null) return value as string;
  }
  return null;
}
