import { PolicyEngine } from '@drift-detective/policy-engine';
import { bundleLocation } from './bundle-location.js';
import type { CommandIo } from './evaluate-command.js';
import { formatAsff } from './format/asff.js';
import { formatJson } from './format/json.js';
import { formatSarif } from './format/sarif.js';
import { formatTable } from './format/table.js';
import { parseProvider } from './normalize-command.js';
import { resolveInputs } from './scan/inputs.js';
import { INVENTORIES } from './scan/inventories.js';
import { listValues, parseSeverity, ruleFilter, severityRank } from './scan/rule-filter.js';
import { scan } from './scan/scan.js';
import { EXIT, UsageError } from './usage.js';

export const FORMATS = ['table', 'json', 'sarif', 'asff'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanCommandOptions {
  readonly inputs: readonly string[];
  readonly provider?: string | undefined;
  /** Default: table when stdout is a terminal, json otherwise. */
  readonly format?: string | undefined;
  readonly failOn?: string | undefined;
  readonly rules?: readonly string[] | undefined;
  readonly excludeRules?: readonly string[] | undefined;
  readonly bundle?: string | undefined;
}

export interface ScanIo extends CommandIo {
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
}

function parseFormat(value: string | undefined, stdoutIsTty: boolean): Format {
  const format = value ?? (stdoutIsTty ? 'table' : 'json');
  if (!FORMATS.includes(format as Format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  }
  return format as Format;
}

/** drift-detective scan: native inventories in, findings out; the exit code is the CI contract. */
export async function scanCommand(
  options: ScanCommandOptions,
  io: ScanIo,
  version: string,
): Promise<number> {
  const provider = parseProvider(options.provider);
  const format = parseFormat(options.format, io.stdoutIsTty);
  const failOn =
    options.failOn === undefined ? undefined : parseSeverity(options.failOn, '--fail-on');
  const engine = await PolicyEngine.load(bundleLocation(options.bundle));
  const includeRule = ruleFilter(listValues(options.rules), listValues(options.excludeRules), [
    ...engine.rules.keys(),
  ]);
  const { files: inputs, ignored } = await resolveInputs(options.inputs);

  const result = await scan({
    inputs,
    inventories: INVENTORIES,
    provider,
    engine,
    includeRule,
    onProgress: io.stderrIsTty ? (n) => io.err(`\rscanned ${n} records…`) : undefined,
  });
  if (io.stderrIsTty && result.summary.evaluated >= 500) io.err('\n');
  for (const file of ignored) {
    result.summary.skipped.push({
      input: file,
      reason: 'not a .json, .ndjson or .jsonl file; not read',
    });
  }

  const now = new Date().toISOString();
  const render: Record<Format, () => string> = {
    table: () => formatTable(result),
    json: () => formatJson(result),
    sarif: () => formatSarif(result, [...engine.rules.values()], version),
    asff: () => formatAsff(result, now, process.env['AWS_REGION'] ?? 'us-east-1'),
  };
  io.out(render[format]());
  if (format !== 'table' && format !== 'json' && result.summary.skipped.length > 0) {
    for (const s of result.summary.skipped) io.err(`skipped ${s.input}: ${s.reason}\n`);
  }
  if (failOn && result.findings.some((f) => severityRank(f.severity) <= severityRank(failOn))) {
    return EXIT.findings;
  }
  return EXIT.ok;
}
