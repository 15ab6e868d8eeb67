export { findingId } from './identity.js';
export type { FindingKey } from './identity.js';
export * from './finding.js';
export { contentHash } from './content-hash.js';
export { reconcileResource, resolve, resolveDeleted } from './reconcile.js';
export type { ReconcileInput, TransitionEvent } from './reconcile.js';
export { inScope, ScopeTracker } from './scope.js';
export type { CoveredScope } from './scope.js';
export type {
  PublishedFinding,
  ResourceObservation,
  StateStore,
  SweepCheckpoint,
  SweepProgress,
} from './store/state-store.js';
export { SqliteStateStore, StateLockedError, StateStoreError } from './store/sqlite-store.js';
export type { SqliteStateStoreOptions } from './store/sqlite-store.js';
export { readStateFindings } from './store/read-findings.js';
export { describeHolder } from './store/state-lock.js';
export type { StateLockHolder } from './store/state-lock.js';
export { DEFAULT_REFRESH_DAYS, needsPublish } from './publish-policy.js';
export {
  activeWaiver,
  checkWaivers,
  loadWaivers,
  parseWaivers,
  WaiverFileError,
  waiverRefLookup,
} from './waivers/index.js';
export type { Waiver, WaiverCheck, WaiverSubject } from './waivers/index.js';
