// What the drift-detective command line loads when it starts: reading an exported
// inventory and the text of the `gcp` command's help. Nothing here loads a cloud SDK
// client, so `scan`, `evaluate` and `--help` start without paying for one; the
// adapter commands load the package's main entry when they run.
export { gcpInventory } from './inventory.js';
export { GCP_USAGE } from './command/usage.js';
