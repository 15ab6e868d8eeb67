import { createRequire } from 'node:module';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PolicyEngineError } from '@drift-detective/policy-engine';
import { evaluateCommand, type CommandIo } from './evaluate-command.js';
import { findingsListCommand } from './findings-command.js';
import { normalizeCommand } from './normalize-command.js';
import { waiversCheckCommand } from './waivers-command.js';
import { scanCommand } from './scan-command.js';
import { awsCommand, type AwsSubcommand } from './aws-command.js';
import { AWS_SETTINGS, type FlagValues } from '@drift-detective/provider-aws';
import { EXIT, USAGE, UsageError } from './usage.js';

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
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
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
    },
    {
      ...io,
      stdoutIsTty: process.stdout.isTTY === true,
      stderrIsTty: process.stderr.isTTY === true,
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
    io.out(USAGE);
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
    io.out(USAGE);
    return EXIT.ok;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new UsageError(`--format must be text or json, not '${values.format}'`);
  }
  return evaluateCommand({ files: positionals, bundle: values.bundle, format: values.format }, io);
}

/** The flags of `aws sweep|worker`: one per adapter setting, plus --config. */
function awsOptions() {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    config: { type: 'string' },
    help: { type: 'boolean' },
  };
  for (const setting of Object.values(AWS_SETTINGS)) {
    options[setting.flag] =
      setting.kind === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', ...(setting.kind === 'list' ? { multiple: true } : {}) };
  }
  return options;
}

async function awsMain(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'sweep' && subcommand !== 'worker') {
    throw new UsageError(`aws takes sweep or worker, not '${subcommand ?? ''}'`);
  }
  const { values } = parseArgsOrUsage({ args: rest, options: awsOptions() });
  if (values['help']) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const flags: FlagValues = {};
  for (const [key, setting] of Object.entries(AWS_SETTINGS)) {
    const value = values[setting.flag];
    if (value !== undefined) flags[key as keyof FlagValues] = value as string | string[] | boolean;
  }
  // SIGTERM (a deployment stopping the worker) and Ctrl-C drain instead of dropping work.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await awsCommand(
      subcommand as AwsSubcommand,
      {
        flags,
        configFile: typeof values['config'] === 'string' ? values['config'] : undefined,
        signal: stop.signal,
      },
      { ...io, log: process.stderr, stdout: process.stdout },
    );
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
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
  if (command === 'aws') return awsMain(rest);
  if (command === 'findings' && rest[0] === 'list') {
    const { values } = parseArgsOrUsage({
      args: rest.slice(1),
      options: {
        state: { type: 'string' },
        status: { type: 'string' },
        format: { type: 'string' },
      },
    });
    return findingsListCommand(values, io);
  }
  if (command === 'waivers' && rest[0] === 'check') {
    const { values } = parseArgsOrUsage({
      args: rest.slice(1),
      options: { file: { type: 'string' }, within: { type: 'string' } },
    });
    return waiversCheckCommand(values, io);
  }
  throw new UsageError(`unknown command '${command}'`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Known failures get one clear line; anything else is a bug and keeps its stack.
  if (error instanceof UsageError || error instanceof PolicyEngineError) {
    io.err(`drift-detective: ${error.message}\n`);
    if (error instanceof UsageError) io.err('Run drift-detective --help for usage.\n');
    process.exitCode = EXIT.error;
  } else {
    throw error;
  }
}
