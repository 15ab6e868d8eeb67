export {
  assetSweep,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type AssetSweepOptions,
  type AssetSweepReader,
} from './sweep-reader.js';
export { gcpSweepScope, coveredKinds } from './sweep-scope.js';
export { SweptProjectsScope } from './swept-projects.js';
export { sweptGcpTypes, SWEEP_TYPES } from './sweep-types.js';
export { parseSweepParent, type SweepParent } from './parent.js';
export { assetToJson } from './proto-json.js';
export { AssetListError } from './list-page.js';
