import type { AddressRange, InventoryContext } from '@drift-detective/resource-model';
import type { JsonObject } from './decode/json.js';

/** What a storage account tells its blob containers. */
export interface AccountFacts {
  readonly allowBlobPublicAccess: boolean | null;
  readonly region: string | null;
}

/** A blobServices/default record, kept for its account's versioning. */
export interface BlobServiceFacts {
  /** The account id in the case the record wrote it. */
  readonly accountId: string;
  readonly versioning: boolean | null;
  readonly native: JsonObject;
}

/** The firewall rules seen for one SQL server. */
export interface FirewallFacts {
  /** The server id in the case the first rule wrote it. */
  readonly serverId: string;
  /** By rule id (lower case), so a rule read twice counts once. */
  readonly rules: Map<string, { range: AddressRange; native: JsonObject }>;
  /** Ids (lower case) of this server's rule records that could not be read. */
  readonly unreadable: Set<string>;
}

/** Facts that span the records of one Azure inventory, keyed by lower-case ARM id. */
export interface AzureFacts {
  readonly accounts: Map<string, AccountFacts>;
  readonly blobServices: Map<string, BlobServiceFacts>;
  readonly firewallRules: Map<string, FirewallFacts>;
  /** SQL servers present in the inventory (their rules are not leftovers). */
  readonly sqlServers: Set<string>;
}

const KEY = 'azure.facts';

/** This inventory's Azure facts, created on first use. */
export function factsOf(context: InventoryContext): AzureFacts {
  let facts = context.get<AzureFacts>(KEY);
  if (!facts) {
    facts = {
      accounts: new Map(),
      blobServices: new Map(),
      firewallRules: new Map(),
      sqlServers: new Set(),
    };
    context.set(KEY, facts);
  }
  return facts;
}
