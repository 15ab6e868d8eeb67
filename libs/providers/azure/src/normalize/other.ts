import type { InventoryContext, ResourceOf } from '@drift-detective/resource-model';
import { armResource, type ArmRecord } from '../decode/arm-record.js';

/** Any other type: native only, for Azure-specific policies. nativeType as the record spells it. */
export function normalizeOther(arm: ArmRecord, context: InventoryContext): ResourceOf<'other'> {
  return armResource(arm, context, 'other', arm.type, {});
}
