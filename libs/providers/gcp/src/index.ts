export { gcpInventory } from './inventory.js';
export { SUPPORTED_TYPES, isSupportedType, type SupportedType } from './normalize/index.js';
export { readRecord, type AssetRecord, type CaiAsset, type CaiResource } from './asset.js';
export { decodeStruct, isStruct } from './decode/struct.js';
export { MODEL_MISMATCH } from './resource.js';
