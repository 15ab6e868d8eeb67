// Everything one stand-in holds, shared by the router, the admin API and the server.
import type { AzureContracts } from './contracts.js';
import type { DefenderState } from './defender.js';
import type { AzureFaultPlan } from './faults.js';
import type { Inventory } from './inventory.js';
import type { JournalEntry } from './journal.js';
import type { QuotaWindows } from './quota.js';
import type { GraphScopes } from './resource-graph.js';
import type { TokenAuthority } from './tokens.js';

export interface StandInState {
  readonly contracts: AzureContracts;
  readonly inventory: Inventory;
  readonly defender: DefenderState;
  readonly authority: TokenAuthority;
  /** The IDENTITY_HEADER value a token request must carry. */
  readonly identitySecret: string;
  readonly scopes: GraphScopes;
  readonly quota: QuotaWindows;
  readonly journal: JournalEntry[];
  /** PUT/DELETE requests received by the Security API, whatever their outcome. */
  writes: number;
  plan: AzureFaultPlan;
}
