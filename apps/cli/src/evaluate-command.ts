import type { CommandIo } from '@drift-detective/pipeline';
import {
  PolicyEngine,
  PolicyEngineError,
  type EvaluableResource,
} from '@drift-detective/policy-engine';
import { bundleLocation } from './bundle-location.js';
import { formatText, summarize, type ResourceReport } from './format-text.js';
import { readDocuments } from './scan/documents.js';
import { EXIT, UsageError } from './usage.js';

/** Each resource of the files: array items one by one, objects and NDJSON lines as they are. */
async function* resourceRecords(files: readonly string[]) {
  for (const file of files) {
    for await (const document of readDocuments({ path: file, label: file })) {
      if (!('error' in document) && Array.isArray(document.value)) {
        for (const [index, value] of document.value.entries())
          yield { source: `${file}[${index}]`, value };
      } else {
        yield document;
      }
    }
  }
}

export interface EvaluateOptions {
  readonly files: readonly string[];
  readonly bundle?: string | undefined;
  readonly format: 'text' | 'json';
}

/**
 * Evaluates normalized resources and prints their violations. Returns the exit
 * code: a record that could not be evaluated is an error, never "no finding".
 */
export async function evaluateCommand(options: EvaluateOptions, io: CommandIo): Promise<number> {
  if (options.files.length === 0) throw new UsageError('evaluate needs at least one input file');
  const engine = await PolicyEngine.load(bundleLocation(options.bundle));

  const reports: ResourceReport[] = [];
  const failures: string[] = [];
  for await (const record of resourceRecords(options.files)) {
    if ('error' in record) {
      failures.push(`${record.source}: ${record.error}`);
      continue;
    }
    try {
      const resource = record.value as EvaluableResource;
      reports.push({ resource, violations: engine.evaluate(resource) });
    } catch (error) {
      if (!(error instanceof PolicyEngineError)) throw error;
      failures.push(`${record.source}: ${error.message}`);
    }
  }

  const summary = summarize(reports);
  if (options.format === 'json') {
    io.out(
      `${JSON.stringify({ results: reports.map((r) => ({ resourceId: r.resource.id, violations: r.violations })), summary, errors: failures }, null, 2)}\n`,
    );
  } else {
    io.out(formatText(reports));
    const severities = Object.entries(summary.bySeverity)
      .map(([severity, count]) => `${severity} ${count}`)
      .join(', ');
    io.out(
      `${summary.findings} finding(s)${severities ? ` (${severities})` : ''} on ${summary.affected} of ` +
        `${summary.resources} resource(s), ${engine.rules.size} rules.\n`,
    );
  }
  for (const failure of failures) io.err(`error: ${failure}\n`);
  return failures.length > 0 ? EXIT.error : EXIT.ok;
}
