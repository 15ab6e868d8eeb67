import type { InventoryContext, Kind, PropertiesOf } from '@drift-detective/resource-model';
import type { JsonObject } from '../decode/values.js';

/** What an ARN can be built from when the item does not state it. */
export interface ArnInput {
  readonly configuration: JsonObject;
  readonly region: string | null;
  readonly account: string | null;
  readonly resourceId: string | null;
  readonly resourceName: string | null;
}

/** The decoded parts of an item. */
export interface DecodedParts {
  readonly configuration: JsonObject;
  readonly supplementary: JsonObject | null;
}

/** An item of a supported type, decoded, with its identity settled. */
export interface ItemView extends DecodedParts {
  readonly source: string;
  readonly id: string;
  readonly account: string;
  readonly region: string | null;
  readonly context: InventoryContext;
}

/** The normalizer of one native type. */
export interface TypeNormalizer<K extends Kind> {
  readonly kind: K;
  /** The resource's ARN from its configuration, or the documented one built from its parts; null when neither. */
  arn(input: ArnInput): string | null;
  /** The account when the envelope does not state it (SecurityGroup ownerId, KMS awsaccountId). */
  account?(configuration: JsonObject): string | null;
  /** A name from the configuration when the envelope has neither resourceName nor resourceId. */
  name?(configuration: JsonObject): string | null;
  /** Decodes what the generic pass leaves encoded (URL-encoded IAM documents, bucket policy text). */
  decode?(parts: DecodedParts, source: string): DecodedParts;
  properties(view: ItemView): PropertiesOf<K>;
}

export type AnyTypeNormalizer = { [K in Kind]: TypeNormalizer<K> }[Kind];
