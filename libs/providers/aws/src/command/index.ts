export { awsCommand, awsMain } from './aws-command.js';
export type { AwsCommandOptions, AwsIo, AwsSubcommand } from './aws-command.js';
export { AWS_USAGE } from './usage.js';
