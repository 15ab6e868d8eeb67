// The GCP stand-in and its pieces that other tests use on their own.
export { startGcpStandIn } from './stand-in.js';
export type { GcpStandIn, GcpStandInOptions } from './stand-in.js';
export { GCP_ENV } from './env.js';
export {
  gcpFaultPlanFromRules,
  GcpFaultRuleError,
  gcpFaults,
  noGcpFaults,
  permissionOf,
  requestNames,
} from './faults.js';
export type { GcpCallInfo, GcpFault, GcpFaultPlan, GcpFaultRule } from './faults.js';
export type { GcpJournalEntry } from './journal.js';
export { GcpSeedError, recordsOfExport } from './seed.js';
export type { AssetRecord, ContentType } from './seed.js';
export { protoIncludeDirs } from './protos.js';
export { plaintextClientOptions } from './clients.js';
export type { PlaintextClientOptions } from './clients.js';
