export { PolicyEngine } from './engine.js';
export type { EvaluableResource, EvaluationOutcome, Violation } from './engine.js';
export {
  assembleBundle,
  FRAMEWORKS_DIR,
  readBundleDir,
  sha256Hex,
  MANIFEST_FILE,
  WASM_FILE,
} from './bundle.js';
export type { PolicyBundle } from './bundle.js';
export { readTarGz } from './archive.js';
export {
  ENTRYPOINTS,
  MANIFEST_SCHEMA_VERSION,
  MetadataError,
  parseManifest,
  parseRuleMetadata,
  SEVERITIES,
} from './manifest.js';
export type { PolicyManifest, RuleMetadata, Severity } from './manifest.js';
export {
  BundleCorruptError,
  BundleNotFoundError,
  EntrypointMissingError,
  EvaluationError,
  InvalidInputError,
  PolicyEngineError,
  RuleMetadataMissingError,
} from './errors.js';
export type { PolicyEngineErrorCode } from './errors.js';
export { loadEmbeddedEngine } from './embedded.js';
