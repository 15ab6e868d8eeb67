export { cloudFailureLine, isEnvironmentFailure } from './cloud-failure.js';
export { EXIT, UsageError } from './exit.js';
export type { CommandIo } from './exit.js';
export { DEFAULT_WAIVERS, waiversFrom } from './waivers-source.js';
export { runAdapterProcess, runCommandLine } from './run-command-line.js';
export { printable } from './printable.js';
export { untilStopped } from './stop-signals.js';
