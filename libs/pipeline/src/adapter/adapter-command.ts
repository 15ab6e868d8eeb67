import type { Writable } from 'node:stream';
import { StateStoreError } from '@drift-detective/findings';
import { cloudFailureLine, isEnvironmentFailure } from '../command/cloud-failure.js';
import { EXIT, UsageError, type CommandIo } from '../command/exit.js';
import { parseAdapterArgs } from './args.js';
import { SettingsError, type FlagValuesOf, type SettingsSpec } from './settings.js';
import { stoppedLine } from './sweep-report.js';
import { untilStopped } from '../command/stop-signals.js';

/** Where an adapter command writes: its answer and one-line errors, its logs, dry-run findings. */
export interface AdapterIo extends CommandIo {
  /** Logs (JSON lines). */
  readonly log: Writable;
  /** Where --dry-run writes findings. */
  readonly stdout: Writable;
}

/**
 * Runs one adapter subcommand (`aws sweep`, `azure serve`…) and turns the
 * failures of the world around it into their documented lines and exit code 2:
 * a setting it cannot use is a usage error; a sweep stopped by a signal says
 * so and resumes next time, whatever the call it cut threw; a cloud's refusal
 * or an endpoint down past its retries is one line, never a stack. A bug keeps
 * its stack.
 */
export async function runAdapterCommand(
  command: string,
  options: { readonly sweep: boolean; readonly signal?: AbortSignal | undefined },
  io: CommandIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(error.message);
    if (options.sweep && options.signal?.aborted) {
      io.err(stoppedLine(command, options.signal));
      return EXIT.error;
    }
    if (!isEnvironmentFailure(error)) throw error;
    io.err(cloudFailureLine(command, error));
    return EXIT.error;
  }
}

/**
 * Opens what a command cannot run without (the state file): a file it cannot
 * use is the caller's to fix, one line without the usage hint.
 */
export async function openOrRefuse<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof StateStoreError) throw new UsageError(error.message, { showUsage: false });
    throw error;
  }
}

export interface AdapterCommandLine<S extends SettingsSpec, Sub extends string> {
  /** The cloud's word on the command line: `aws`, `azure`, `gcp`. */
  readonly cloud: string;
  readonly subcommands: readonly Sub[];
  /** Every setting the subcommands take: one flag each. */
  readonly settings: S;
  readonly usage: string;
  /** The policy bundle folder when neither --bundle nor DRIFT_POLICY_BUNDLE names one. */
  readonly defaultBundle: string;
  readonly run: (subcommand: Sub, options: AdapterRunOptions<S>) => Promise<number>;
}

/** What one subcommand runs with: its flags, its config file, its stop and the default bundle. */
export interface AdapterRunOptions<S extends SettingsSpec> {
  readonly flags: FlagValuesOf<S>;
  /** --config FILE; else $DRIFT_CONFIG. */
  readonly configFile: string | undefined;
  /** Aborted with the signal's name on SIGTERM / SIGINT. */
  readonly signal: AbortSignal;
  readonly defaultBundle: string;
}

/**
 * An adapter's command line — `<subcommand> [flags]` — as the CLI's cloud
 * subcommand and the adapter's own process entry run it: SIGTERM (a
 * deployment stopping it) and Ctrl-C abort the signal the subcommand watches,
 * so a worker or server drains and a sweep stops at a page it saved, instead
 * of dropping work.
 */
export async function adapterMain<S extends SettingsSpec, Sub extends string>(
  args: readonly string[],
  io: CommandIo,
  line: AdapterCommandLine<S, Sub>,
): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === '-h' || subcommand === '--help') {
    io.out(line.usage);
    return EXIT.ok;
  }
  if (!line.subcommands.includes(subcommand as Sub)) {
    throw new UsageError(
      `${line.cloud} takes ${line.subcommands.join(' or ')}, not '${subcommand ?? ''}'`,
    );
  }
  const parsed = parseAdapterArgs(rest, line.settings);
  if (parsed.help) {
    io.out(line.usage);
    return EXIT.ok;
  }
  // The abort's reason names the signal, for the line of a stopped sweep.
  return untilStopped((signal) =>
    line.run(subcommand as Sub, {
      flags: parsed.flags,
      configFile: parsed.configFile,
      signal,
      defaultBundle: line.defaultBundle,
    }),
  );
}
