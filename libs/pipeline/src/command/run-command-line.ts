import { PolicyEngineError } from '@drift-detective/policy-engine';
import { EXIT, UsageError, type CommandIo } from './exit.js';
import { printable } from './printable.js';

/**
 * Runs a command line's main and sets the process exit code: known failures
 * (bad usage, a policy bundle that cannot load) get one clear line and exit
 * 2; anything else is a bug and keeps its stack.
 */
export async function runCommandLine(
  main: () => Promise<number>,
  io: CommandIo,
  program: string,
): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof PolicyEngineError)) throw error;
    io.err(`drift-detective: ${printable(error.message)}\n`);
    if (error instanceof UsageError && error.showUsage)
      io.err(`Run ${program} --help for usage.\n`);
    process.exitCode = EXIT.error;
  }
}
