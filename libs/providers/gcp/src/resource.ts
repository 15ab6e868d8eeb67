import {
  NormalizeError,
  validateResource,
  type InventoryContext,
  type Resource,
} from '@drift-detective/resource-model';
import type { AssetRecord } from './asset.js';
import { baseFields } from './base.js';
import type { JsonObject } from './decode/values.js';
import { readBindings } from './iam.js';
import {
  isSupportedType,
  NORMALIZERS,
  SUPPORTED_TYPES,
  type NormalizerInput,
} from './normalize/index.js';

/** Prefix of the reason when a built resource fails the model: a defect here, never bad input. */
export const MODEL_MISMATCH = 'normalized resource does not match the model';

export interface BuildOptions {
  /** The IAM policy merged in from the asset's IAM_POLICY record (when the record has none). */
  readonly iamPolicy: JsonObject | null;
  /**
   * For resources made only of context: a type whose properties cannot be built from what the
   * record holds (a firewall without its rules) becomes kind `other` instead of failing.
   */
  readonly otherWhenUnreadable: boolean;
}

/** One Resource from one asset record (plus its merged IAM policy). Throws NormalizeError. */
export function buildResource(
  record: AssetRecord,
  source: string,
  context: InventoryContext,
  options: BuildOptions,
): Resource {
  const { asset } = record;
  const iamPolicy = asset.iamPolicy ?? options.iamPolicy;
  const native: JsonObject =
    asset.iamPolicy === null && iamPolicy !== null ? { ...asset.native, iamPolicy } : asset.native;
  const base = baseFields(record, native, context);

  let resource: unknown = { ...base, kind: 'other', properties: {} };
  if (isSupportedType(asset.assetType)) {
    const normalizer: (input: NormalizerInput) => object = NORMALIZERS[asset.assetType];
    try {
      const properties = normalizer({
        asset,
        data: asset.resource?.data ?? null,
        iamBindings: readBindings(iamPolicy),
        source,
        context,
      });
      resource = { ...base, kind: SUPPORTED_TYPES[asset.assetType], properties };
    } catch (error) {
      if (!(error instanceof NormalizeError) || !options.otherWhenUnreadable) throw error;
    }
  }

  const problems = validateResource(resource);
  if (problems.length > 0) {
    throw new NormalizeError(source, `${MODEL_MISMATCH}: ${problems.slice(0, 3).join('; ')}`);
  }
  return resource as Resource;
}
