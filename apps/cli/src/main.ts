import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PolicyEngineError } from '@drift-detective/policy-engine';
import { evaluateCommand, type CommandIo } from './evaluate-command.js';
import { EXIT, USAGE, UsageError } from './usage.js';

const io: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.error;
  }
  if (command !== 'evaluate') throw new UsageError(`unknown command '${command}'`);
  const { values, positionals } = parseArgsOrUsage({
    args: [...rest],
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
