import { canonicalType, T } from '../types.js';
import { resourcesQuery, ROLE_DEFINITIONS_QUERY } from './kql.js';

/**
 * Types a sweep reads from the `resources` table. Blob containers,
 * blobServices and SQL firewall rules are not there: they are read by ARM
 * beside their storage account or server (arm/children.ts), so sweeping the
 * parent covers them.
 */
export const RESOURCE_TABLE_TYPES: readonly string[] = [
  T.storageAccount,
  T.networkSecurityGroup,
  T.sqlServer,
  T.virtualMachine,
  T.keyVault,
  T.webSite,
];

/** Every type a sweep can read, in sweep order: the `resources` table, then role definitions. */
export const SWEEP_TYPES: readonly string[] = [...RESOURCE_TABLE_TYPES, T.roleDefinition];

/** One query of a sweep, read page after page before the next one starts. */
export interface SweepPhase {
  readonly table: 'resources' | 'authorizationresources';
  readonly query: string;
}

/** The canonical spelling of each sweep type; throws for one a sweep cannot read. */
export function sweepTypes(types: readonly string[] = SWEEP_TYPES): string[] {
  if (types.length === 0) throw new RangeError('a sweep needs at least one resource type');
  const canonical = types.map((type) => {
    const known = canonicalType(type);
    if (known === null || !SWEEP_TYPES.includes(known)) {
      throw new TypeError(
        `cannot sweep ${type}: a sweep reads ${SWEEP_TYPES.join(', ')} (containers, blobServices and firewall rules come with their parent)`,
      );
    }
    return known;
  });
  return [...new Set(canonical)];
}

/** The queries of a sweep of these (canonical) types. */
export function sweepPlan(types: readonly string[]): SweepPhase[] {
  const inResources = RESOURCE_TABLE_TYPES.filter((type) => types.includes(type));
  const phases: SweepPhase[] = [];
  if (inResources.length > 0)
    phases.push({ table: 'resources', query: resourcesQuery(inResources) });
  if (types.includes(T.roleDefinition)) {
    phases.push({ table: 'authorizationresources', query: ROLE_DEFINITIONS_QUERY });
  }
  return phases;
}
