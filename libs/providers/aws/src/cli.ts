// What the drift-detective command line loads when it starts: reading an exported
// inventory and the text of the `aws` command's help. Nothing here loads a cloud SDK
// client, so `scan`, `evaluate` and `--help` start without paying for one; the
// adapter commands load the package's main entry when they run.
export { awsInventory } from './inventory.js';
export { AWS_USAGE } from './command/usage.js';
export { toAsff } from './securityhub/asff.js';
