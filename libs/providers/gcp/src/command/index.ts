export { GCP_ADAPTER, gcpMain } from './gcp-command.js';
export { GCP_USAGE } from './usage.js';
