import type { Writable } from 'node:stream';
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

/**
 * An adapter's own process entry (`drift-detective-aws`, `-azure`): its
 * command line with logs on stderr and dry-run findings on stdout; no
 * arguments prints the usage and exits 2.
 */
export function runAdapterProcess(
  program: string,
  usage: string,
  main: (
    args: readonly string[],
    io: CommandIo & { log: Writable; stdout: Writable },
  ) => Promise<number>,
): Promise<void> {
  const io: CommandIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  const args = process.argv.slice(2);
  return runCommandLine(
    () =>
      args.length === 0
        ? Promise.resolve((io.err(usage), EXIT.error))
        : main(args, { ...io, log: process.stderr, stdout: process.stdout }),
    io,
    program,
  );
}
