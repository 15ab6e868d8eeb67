import { awsInventory } from '@drift-detective/provider-aws/cli';
import { azureInventory } from '@drift-detective/provider-azure/cli';
import { gcpInventory } from '@drift-detective/provider-gcp/cli';
import type { ProviderInventory } from '@drift-detective/resource-model';

/** Every cloud the scan can read, in the order detection tries them. */
export const INVENTORIES: readonly ProviderInventory[] = [
  awsInventory,
  azureInventory,
  gcpInventory,
];
