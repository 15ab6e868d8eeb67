// Everything the stand-in holds, shared by the gRPC handlers and the admin API.
import type { AssetInventory } from './assets.js';
import type { GcpFaultPlan } from './faults.js';
import type { GcpJournalEntry } from './journal.js';
import type { SecurityCenterState } from './scc.js';

export interface GcpStandInState {
  readonly inventory: AssetInventory;
  readonly scc: SecurityCenterState;
  readonly journal: GcpJournalEntry[];
  /** Security Command Center writes received, whatever their outcome. */
  writes: number;
  plan: GcpFaultPlan;
}
