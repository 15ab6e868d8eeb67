export { AZURE_ADAPTER, azureMain } from './azure-command.js';
export { AZURE_USAGE } from './usage.js';
