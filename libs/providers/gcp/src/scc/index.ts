export {
  DEFAULT_SCC_CONCURRENCY,
  DEFAULT_SOURCE_DISPLAY_NAME,
  SccPublisher,
  type SccPublisherOptions,
} from './publisher.js';
export { SccPublishError, type FailedFinding } from './errors.js';
export {
  eventTimeOf,
  sccFindingOf,
  sccSeverity,
  sccState,
  sourcePropertiesOf,
  UPDATE_MASK,
  type SccSeverity,
  type SccSource,
  type SccState,
} from './mapping.js';
export { compliancesOf } from './compliance.js';
export { findingName, isFindingId, organizationName, SccSettingsError } from './names.js';
