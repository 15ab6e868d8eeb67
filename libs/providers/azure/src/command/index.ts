export { azureCommand, azureMain } from './azure-command.js';
export type { AzureCommandOptions, AzureSubcommand } from './azure-command.js';
export { AZURE_USAGE } from './usage.js';
