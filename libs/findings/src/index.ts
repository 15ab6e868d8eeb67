export { findingId } from './identity.js';
export type { FindingKey } from './identity.js';
export * from './finding.js';
export { contentHash } from './content-hash.js';
export { reconcileResource, resolve, resolveDeleted } from './reconcile.js';
export type { ReconcileInput, TransitionEvent } from './reconcile.js';
export { inScope, ScopeTracker } from './scope.js';
export type { CoveredScope } from './scope.js';
export { resourceLockKey } from './store/state-store.js';
export type {
  LockedResource,
  PublishedFinding,
  RecordPage,
  ResourceObservation,
  StateAccess,
  StateStore,
  SweepCheckpoint,
  SweepProgress,
} from './store/state-store.js';
export { SqliteStateStore, StateLockedError, StateStoreError } from './store/sqlite-store.js';
export type { SqliteStateStoreOptions } from './store/sqlite-store.js';
export { openSqlite } from './store/sqlite-driver.js';
export type { SqlDatabase, SqlStatement } from './store/sqlite-driver.js';
export { openStateStore, readStateFindings } from './store/open-state.js';
export type { OpenStateOptions } from './store/open-state.js';
export { PostgresStateStore } from './store/postgres-store.js';
export { isPostgresUrl, redactUrl } from './store/state-location.js';
export { KeyedLock } from './store/keyed-lock.js';
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
