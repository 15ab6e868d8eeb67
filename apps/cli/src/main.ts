import { createRequire } from 'node:module';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCommandLine } from '@drift-detective/pipeline';
import type { CommandIo } from '@drift-detective/pipeline';
import { evaluateCommand } from './evaluate-command.js';
import { findingsListCommand } from './findings-command.js';
import { normalizeCommand } from './normalize-command.js';
import { waiversCheckCommand } from './waivers-command.js';
import { rulesCommand } from './rules-command.js';
import { scanCommand } from './scan-command.js';
import { bundleLocation } from './bundle-location.js';
import { reportWriter } from './report-output.js';
import { COMMAND_USAGE, EXIT, USAGE, UsageError } from './usage.js';

const io: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** node:util parseArgs throws TypeErrors for unknown or malformed options: those are usage errors. */
function parseArgsOrUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>(config);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

/** `-h` or `--help`, wherever it stands among a subcommand's arguments. */
const isHelp = (arg: string) => arg === '-h' || arg === '--help';

async function scanMain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage({
    args,
    allowPositionals: true,
    options: {
      input: { type: 'string', short: 'i', multiple: true },
      provider: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'exclude-rules': { type: 'string', multiple: true },
      bundle: { type: 'string' },
      state: { type: 'string' },
      waivers: { type: 'string' },
      progress: { type: 'boolean' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(COMMAND_USAGE.scan);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new UsageError(`scan takes inputs with --input, not '${positionals[0]}'`);
  }
  return scanCommand(
    {
      inputs: values.input ?? [],
      provider: values.provider,
      format: values.format,
      failOn: values['fail-on'],
      rules: values.rules,
      excludeRules: values['exclude-rules'],
      bundle: values.bundle,
      state: values.state,
      waivers: values.waivers,
      progress: values.progress,
      threads: values.threads,
    },
    {
      ...io,
      stdoutIsTty: process.stdout.isTTY === true,
      stderrIsTty: process.stderr.isTTY === true,
      write: reportWriter(process.stdout, 'standard output'),
    },
    version,
  );
}

async function normalizeMain(args: string[]): Promise<number> {
  const { values } = parseArgsOrUsage({
    args,
    options: {
      input: { type: 'string', short: 'i', multiple: true },
      provider: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(COMMAND_USAGE.normalize);
    return EXIT.ok;
  }
  return normalizeCommand({ inputs: values.input ?? [], provider: values.provider }, io);
}

async function evaluateMain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage({
    args,
    allowPositionals: true,
    options: {
      bundle: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(COMMAND_USAGE.evaluate);
    return EXIT.ok;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not '${values.format}'`);
  }
  return evaluateCommand({ files: positionals, bundle: values.bundle, format: values.format }, io);
}

async function rulesMain(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage({
    args,
    allowPositionals: true,
    options: {
      framework: { type: 'string' },
      format: { type: 'string' },
      bundle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(COMMAND_USAGE.rules);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`rules takes no argument '${positionals[0]}'`);
  return rulesCommand(values, io);
}

/**
 * An adapter command's entry, loaded only when that command runs: each pulls
 * in its cloud's SDK clients, which would otherwise add about a second to the
 * start of every `scan` (measured: `--version` 1.4 s with them, 0.3 s without).
 */
async function loadAdapterMain(cloud: 'aws' | 'azure' | 'gcp') {
  if (cloud === 'aws') return (await import('@drift-detective/provider-aws')).awsMain;
  if (cloud === 'azure') return (await import('@drift-detective/provider-azure')).azureMain;
  return (await import('@drift-detective/provider-gcp')).gcpMain;
}

/**
 * For the commands that print with io.out: a reader that goes away (EPIPE, `| head`) ends the
 * command quietly with what was read, not with a stack. `scan` writes through reportWriter,
 * which reports it (a scan must say its report was not all written).
 */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command && ['rules', 'findings', 'waivers', 'evaluate', 'normalize'].includes(command)) {
    endQuietlyWhenStdoutCloses();
  }
  if (!command || command === '-h' || command === '--help') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.error;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${version}\n`);
    return EXIT.ok;
  }
  if (command === 'scan') return scanMain(rest);
  if (command === 'evaluate') return evaluateMain(rest);
  if (command === 'normalize') return normalizeMain(rest);
  if (command === 'rules') return rulesMain(rest);
  if (command === 'aws' || command === 'azure' || command === 'gcp') {
    const adapterMain = await loadAdapterMain(command);
    return adapterMain(
      rest,
      { ...io, log: process.stderr, stdout: process.stdout },
      { defaultBundle: bundleLocation(undefined), usage: COMMAND_USAGE[command] },
    );
  }
  if (command === 'findings' || command === 'waivers') {
    const [subcommand, ...args] = rest;
    if (subcommand === undefined || rest.some(isHelp)) {
      io.out(COMMAND_USAGE[command]);
      return subcommand === undefined ? EXIT.error : EXIT.ok;
    }
    if (command === 'findings' && subcommand === 'list') {
      const { values } = parseArgsOrUsage({
        args,
        options: {
          state: { type: 'string' },
          status: { type: 'string' },
          format: { type: 'string' },
        },
      });
      return findingsListCommand(values, io);
    }
    if (command === 'waivers' && subcommand === 'check') {
      const { values } = parseArgsOrUsage({
        args,
        options: { file: { type: 'string' }, within: { type: 'string' } },
      });
      return waiversCheckCommand(values, io);
    }
    throw new UsageError(
      `${command} takes ${command === 'findings' ? 'list' : 'check'}, not '${subcommand}'`,
    );
  }
  throw new UsageError(`unknown command '${command}'`);
}

await runCommandLine(() => main(process.argv.slice(2)), io, 'drift-detective');
