import {
  NormalizeError,
  type InventoryContext,
  type NativeRecord,
  type ProviderInventory,
  type Resource,
} from '@drift-detective/resource-model';
import { readArmRecord, type ArmRecord } from './decode/arm-record.js';
import { detect } from './envelope/detect.js';
import { unwrap } from './envelope/unwrap.js';
import { collectBlobService } from './normalize/blob-service.js';
import { normalizeBlobContainer } from './normalize/blob-container.js';
import { normalizeKeyVault } from './normalize/key-vault.js';
import { normalizeNetworkSecurityGroup } from './normalize/network-security-group.js';
import { normalizeOther } from './normalize/other.js';
import { normalizeRoleDefinition } from './normalize/role-definition.js';
import {
  collectSqlFirewallRule,
  noteUnreadableSqlFirewallRule,
  sqlFirewallRuleIdOf,
} from './normalize/sql-firewall-rule.js';
import {
  collectSqlServer,
  normalizeSqlServer,
  sqlServerLeftovers,
} from './normalize/sql-server.js';
import {
  collectStorageAccount,
  normalizeStorageAccount,
  storageAccountLeftovers,
} from './normalize/storage-account.js';
import { normalizeVirtualMachine } from './normalize/virtual-machine.js';
import { normalizeWebSite } from './normalize/web-site.js';
import { canonicalType, T } from './types.js';

/** Reason prefix of errors no normalizer raised on purpose (a bug, not a bad record). */
const UNEXPECTED = 'unexpected shape:';

type Normalizer = (arm: ArmRecord, context: InventoryContext) => Resource;

const NORMALIZERS = new Map<string, Normalizer>([
  [T.storageAccount, normalizeStorageAccount],
  [T.blobContainer, normalizeBlobContainer],
  [T.networkSecurityGroup, normalizeNetworkSecurityGroup],
  [T.sqlServer, normalizeSqlServer],
  [T.virtualMachine, normalizeVirtualMachine],
  [T.keyVault, normalizeKeyVault],
  [T.roleDefinition, normalizeRoleDefinition],
  [T.webSite, normalizeWebSite],
]);

function readOrNull(record: NativeRecord): ArmRecord | null {
  try {
    return readArmRecord(record);
  } catch (error) {
    if (error instanceof NormalizeError) return null;
    throw error;
  }
}

/**
 * First pass. Storage accounts and SQL servers leave facts for their children and
 * are normalized too; blobServices and SQL firewall rules are only context. A
 * record that cannot be read returns false, so the second pass reports it.
 */
function collect(record: NativeRecord, context: InventoryContext): boolean {
  const arm = readOrNull(record);
  if (!arm) {
    noteUnreadableSqlFirewallRule(record.value, context);
    return false;
  }
  switch (canonicalType(arm.type)) {
    case T.storageAccount:
      collectStorageAccount(arm, context);
      return false;
    case T.sqlServer:
      collectSqlServer(arm, context);
      return false;
    case T.blobService:
      return collectBlobService(arm, context);
    case T.sqlFirewallRule:
      return collectSqlFirewallRule(arm, context);
    default:
      return false;
  }
}

/** The types collect takes facts from. */
const CONTEXT_TYPES = new Set<string>([
  T.storageAccount,
  T.sqlServer,
  T.blobService,
  T.sqlFirewallRule,
]);

/** A record's canonical ARM type; null when it cannot be read or its type is not known. */
function typeOf(record: NativeRecord): string | null {
  const arm = readOrNull(record);
  return arm ? canonicalType(arm.type) : null;
}

function contributesContext(record: NativeRecord): boolean {
  const type = typeOf(record);
  // An unreadable SQL firewall rule still tells its server that its rules are incomplete.
  return type !== null ? CONTEXT_TYPES.has(type) : sqlFirewallRuleIdOf(record.value) !== null;
}

/**
 * The types whose normalizer reads what collect gathered: an account its blob
 * service, a server its firewall rules, a container its account; and the
 * context types themselves.
 */
const READS_CONTEXT_TYPES = new Set<string>([...CONTEXT_TYPES, T.blobContainer]);

function needsContext(record: NativeRecord): boolean {
  const type = typeOf(record);
  return type === null || READS_CONTEXT_TYPES.has(type);
}

/**
 * Second pass. Context-only types (blobServices, firewallRules) normalized on
 * their own, e.g. one record from an event, become kind "other".
 */
function normalize(record: NativeRecord, context: InventoryContext): Resource {
  const arm = readArmRecord(record);
  const type = canonicalType(arm.type);
  const normalizer = type === null ? undefined : NORMALIZERS.get(type);
  try {
    return normalizer ? normalizer(arm, context) : normalizeOther(arm, context);
  } catch (error) {
    if (error instanceof NormalizeError) throw error;
    // A shape no normalizer expected: report the record, never crash the scan.
    throw new NormalizeError(
      record.source,
      `${UNEXPECTED} ${arm.id}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function leftovers(context: InventoryContext): Resource[] {
  return [...storageAccountLeftovers(context), ...sqlServerLeftovers(context)];
}

/** Azure: Resource Graph answers and ARM bodies → normalized resources. */
export const azureInventory: ProviderInventory = {
  provider: 'azure',
  // ARM resource ids are case-insensitive
  // (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
  caseInsensitiveIds: true,
  detect,
  unwrap,
  collect,
  contributesContext,
  needsContext,
  normalize,
  // Accounts, blob services, servers and firewall rules are written by collect, only read here.
  normalizeReadsContextOnly: true,
  leftovers,
};
