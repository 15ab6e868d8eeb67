import type { IamBinding, InventoryContext } from '@drift-detective/resource-model';
import type { CaiAsset } from '../asset.js';
import type { JsonObject } from '../decode/values.js';

/** What a per-type normalizer reads. */
export interface NormalizerInput {
  readonly asset: CaiAsset;
  /** resource.data, decoded; null when the record has no RESOURCE part (IAM-only). */
  readonly data: JsonObject | null;
  /** Bindings of the asset's IAM policy (merged from its IAM_POLICY record); null when unknown. */
  readonly iamBindings: IamBinding[] | null;
  readonly source: string;
  readonly context: InventoryContext;
}
