import { availableParallelism } from 'node:os';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { bundleLocation } from './bundle-location.js';
import type { CommandIo } from '@drift-detective/pipeline';
import { formatAsffPieces } from './format/asff.js';
import { formatJsonPieces } from './format/json.js';
import { formatSarifPieces } from './format/sarif.js';
import { formatTablePieces } from './format/table.js';
import { parseProvider } from './normalize-command.js';
import { resolveInputs } from './scan/inputs.js';
import { INVENTORIES } from './scan/inventories.js';
import { compareFindings, SeverityTally, type ScanFinding } from './scan/finding.js';
import { listValues, parseSeverity, ruleFilter, severityRank } from './scan/rule-filter.js';
import { scan, stopPoint, type ScanResult } from './scan/scan.js';
import { ScanWorkspace } from './scan/spill/scan-workspace.js';
import { SortedSpill } from './scan/spill/sorted-spill.js';
import { markReported, reportedFindings, syncState } from './scan/state-sync.js';
import { now } from './clock.js';
import { waiverLookup, waiversFrom } from './waivers-source.js';
import { printable, untilStopped } from '@drift-detective/pipeline';
import {
  describeHolder,
  openStateStore,
  StateStoreError,
  type StateStore,
} from '@drift-detective/findings';
import { EXIT, UsageError } from './usage.js';

export const FORMATS = ['table', 'json', 'sarif', 'asff'] as const;
export type Format = (typeof FORMATS)[number];

export interface ScanCommandOptions {
  readonly inputs: readonly string[];
  /** SQLite state file: reconcile findings across runs (transitions, resolution). */
  readonly state?: string | undefined;
  readonly waivers?: string | undefined;
  /** Progress on stderr even when it is not a terminal. */
  readonly progress?: boolean | undefined;
  /** --threads: evaluation threads (default: the cores available). */
  readonly threads?: string | undefined;
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
  /**
   * Writes a piece of the report and resolves once the reader can take more:
   * a pipe to a slower reader would otherwise queue the whole report in memory.
   */
  readonly write: (text: string) => Promise<void>;
}

/** --threads: a whole number from 1 to 64; by default as many as the cores available. */
function parseThreads(value: string | undefined): number {
  if (value === undefined) return Math.min(availableParallelism(), MAX_THREADS);
  const threads = Number(value);
  if (!/^\d+$/.test(value) || threads < 1 || threads > MAX_THREADS) {
    throw new UsageError(
      `--threads must be a whole number from 1 to ${MAX_THREADS}, not '${value}'`,
    );
  }
  return threads;
}

const MAX_THREADS = 64;

function parseFormat(value: string | undefined, stdoutIsTty: boolean): Format {
  const format = value ?? (stdoutIsTty ? 'table' : 'json');
  if (!FORMATS.includes(format as Format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  }
  return format as Format;
}

/** The scan's result with the findings the state reports (current ones and resolved ones). */
function reportOfState(scanned: ScanResult, workspace: ScanWorkspace): ScanResult {
  const sorted = new SortedSpill<ScanFinding>(workspace.directory, compareFindings);
  const tally = new SeverityTally();
  for (const finding of reportedFindings(workspace)) {
    sorted.add(finding);
    tally.add(finding.severity, finding.status);
  }
  return {
    ...scanned,
    findings: { [Symbol.iterator]: () => sorted.sorted() },
    summary: { ...scanned.summary, findings: tally.total, bySeverity: tally.bySeverity() },
  };
}

/** drift-detective scan: native inventories in, findings out; the exit code is the CI contract. */
export async function scanCommand(
  options: ScanCommandOptions,
  io: ScanIo,
  version: string,
): Promise<number> {
  const provider = parseProvider(options.provider);
  const format = parseFormat(options.format, io.stdoutIsTty);
  const threads = parseThreads(options.threads);
  const failOn =
    options.failOn === undefined ? undefined : parseSeverity(options.failOn, '--fail-on');
  const engine = await PolicyEngine.load(bundleLocation(options.bundle));
  const bundleRules = [...engine.rules.keys()];
  const includeRule = ruleFilter(
    listValues(options.rules),
    listValues(options.excludeRules),
    bundleRules,
  );
  const { files: inputs, ignored } = await resolveInputs(options.inputs);
  const at = now();
  const waiverFor = waiverLookup(await waiversFrom(options.waivers), at);
  const showProgress = options.progress === true || io.stderrIsTty;

  // SIGTERM or Ctrl-C stops the scan at its next record, batch or piece of the report, so that
  // its working files (states, findings, sorted runs) go with it, however it ends.
  return untilStopped(async (signal) => {
    const workspace = ScanWorkspace.open();
    let store: StateStore | undefined;
    try {
      const scanned = await scan({
        inputs,
        inventories: INVENTORIES,
        provider,
        engine,
        includeRule,
        waiverFor,
        workspace,
        forState: options.state !== undefined,
        threads,
        signal,
        scanTime: at.toISOString(),
        onProgress: showProgress ? (n) => io.err(`scanned ${n} records\n`) : undefined,
      });
      let result = scanned;
      if (options.state) {
        try {
          // A SQLite file has one writer at a time: a second scan, sweep or worker waits, then is
          // refused by name. PostgreSQL is shared: runs take turns per resource.
          store = await openStateStore(options.state, {
            command: 'drift-detective scan',
            onWait: (holder) =>
              io.err(
                `waiting for state file ${options.state}: in use by ${describeHolder(holder)}\n`,
              ),
          });
        } catch (error) {
          if (error instanceof StateStoreError) {
            throw new UsageError(error.message, { showUsage: false });
          }
          throw error;
        }
        await syncState(store, scanned, {
          now: at.toISOString(),
          judgedRules: new Set(bundleRules.filter(includeRule)),
          bundleRules: new Set(bundleRules),
          onProgress: showProgress
            ? (done, total) => io.err(`state: ${done}/${total} resources\n`)
            : undefined,
          signal,
        });
        result = reportOfState(scanned, workspace);
      }
      for (const file of ignored) {
        result.summary.skipped.push({
          input: file,
          reason: 'not a .json, .ndjson or .jsonl file; not read',
        });
      }

      // The most severe ACTIVE finding, noted as the report goes by (it is read once, from disk).
      let worstActive = Number.POSITIVE_INFINITY;
      const reported = result.findings;
      const shown: ScanResult = {
        ...result,
        findings: {
          *[Symbol.iterator]() {
            for (const f of reported) {
              if (f.status === 'ACTIVE')
                worstActive = Math.min(worstActive, severityRank(f.severity));
              yield f;
            }
          },
        },
      };
      // Written in pieces as they are made: the report never sits in memory as one string.
      const render: Record<Format, () => Iterable<string>> = {
        table: () => formatTablePieces(shown),
        json: () => formatJsonPieces(shown),
        sarif: () => formatSarifPieces(shown, [...engine.rules.values()], version),
        asff: () =>
          formatAsffPieces(shown, at.toISOString(), process.env['AWS_REGION'] ?? 'us-east-1'),
      };
      for (const piece of render[format]()) {
        await stopPoint(signal);
        await io.write(piece);
      }
      if (format !== 'table' && format !== 'json' && result.summary.skipped.length > 0) {
        for (const s of result.summary.skipped)
          io.err(`${printable(`skipped ${s.input}: ${s.reason}`)}\n`);
      }
      if (store) {
        // Reported: the transitions are taken. A crash before this line reports them again on the
        // next run (at least once, never lost).
        await markReported(store, reportedFindings(workspace), at.toISOString());
        const done = store;
        store = undefined;
        await done.close();
      }
      if (failOn && worstActive <= severityRank(failOn)) return EXIT.findings;
      return EXIT.ok;
    } finally {
      // Stopped or failed: the state lets go of its lock, with its transitions saved, unreported.
      await store?.close().catch(() => undefined);
      workspace.close();
    }
  });
}
