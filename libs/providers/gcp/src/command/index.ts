export { gcpCommand, gcpMain } from './gcp-command.js';
export type { GcpCommandOptions, GcpSubcommand } from './gcp-command.js';
export { GCP_USAGE } from './usage.js';
