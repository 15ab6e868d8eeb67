export { azureInventory } from './inventory.js';
export { SUPPORTED_TYPES, canonicalType, type AzureTypeMapping } from './types.js';
export { readArmRecord, type ArmRecord } from './decode/arm-record.js';
