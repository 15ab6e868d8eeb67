// What the drift-detective command line loads when it starts: reading an exported
// inventory and the text of the `azure` command's help. Nothing here loads a cloud SDK
// client, so `scan`, `evaluate` and `--help` start without paying for one; the
// adapter commands load the package's main entry when they run.
export { azureInventory } from './inventory.js';
export { AZURE_USAGE } from './command/usage.js';
