import { existsSync } from 'node:fs';
import path from 'node:path';
import { FRAMEWORKS_DIR, readBundleDir, type RuleMetadata } from '@drift-detective/policy-engine';
import type { CommandIo } from '@drift-detective/pipeline';
import { bundleLocation } from './bundle-location.js';
import { readBenchmarks, statusOf, type Benchmark, type Status } from './rules/benchmarks.js';
import { EXIT, UsageError } from './usage.js';

export interface RulesOptions {
  readonly framework?: string | undefined;
  readonly format?: string | undefined;
  readonly bundle?: string | undefined;
}

/** One control of a framework, as `rules --framework` reports it. */
interface ControlRow {
  readonly id: string;
  readonly title: string | null;
  readonly status: Status['kind'];
  readonly rules: readonly string[];
  readonly reason: string | null;
}

/**
 * drift-detective rules [--framework F] [--format table|json] [--bundle DIR]: the bundle's rules,
 * or one framework's controls, each covered by rule ids, not observable from inventory (why),
 * or planned. A CIS benchmark's controls come from the control list shipped in the bundle; a
 * framework without a list (nist-800-53) lists the controls the rules name.
 */
export async function rulesCommand(options: RulesOptions, io: CommandIo): Promise<number> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') {
    throw new UsageError(`--format must be table or json, not '${format}'`);
  }
  const location = bundleLocation(options.bundle);
  const { manifest } = await readBundleDir(location);
  const rules = [...manifest.rules].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (options.framework === undefined) {
    io.out(format === 'json' ? `${JSON.stringify({ rules }, null, 2)}\n` : rulesTable(rules));
    return EXIT.ok;
  }
  const lists = path.join(location, FRAMEWORKS_DIR);
  const benchmarks = existsSync(lists) ? await readBenchmarks(lists) : [];
  const benchmark =
    benchmarks.find((b) => b.framework === options.framework) ??
    namedByRules(options.framework, rules);
  if (benchmark === null) {
    const known = [
      ...new Set([
        ...benchmarks.map((b) => b.framework),
        ...rules.flatMap((r) => Object.keys(r.frameworks)),
      ]),
    ].sort();
    throw new UsageError(
      `--framework ${options.framework} is none of the bundle's: ${known.join(', ')}`,
      { showUsage: false },
    );
  }
  const rows = benchmark.controls.map((control): ControlRow => {
    const status = statusOf(benchmark, control, rules);
    return {
      id: control.id,
      title: control.title === '' ? null : control.title,
      status: status.kind,
      rules: status.kind === 'covered' ? status.rules : [],
      reason: status.kind === 'unobservable' ? status.reason : null,
    };
  });
  const summary = {
    controls: rows.length,
    observable: benchmark.controls.filter((c) => c.observable).length,
    covered: rows.filter((r) => r.status === 'covered').length,
  };
  if (format === 'json') {
    io.out(
      `${JSON.stringify({ framework: benchmark.framework, name: benchmark.name, summary, controls: rows }, null, 2)}\n`,
    );
  } else {
    io.out(controlsTable(rows));
    io.out(
      `${benchmark.name}: ${summary.controls} control(s), ${summary.observable} observable from inventory, ${summary.covered} covered.\n`,
    );
  }
  return EXIT.ok;
}

/** A framework that has no control list: the controls its rules name, all covered. */
function namedByRules(framework: string, rules: readonly RuleMetadata[]): Benchmark | null {
  const ids = [...new Set(rules.flatMap((r) => r.frameworks[framework] ?? []))];
  if (ids.length === 0) return null;
  const controls = ids
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((id) => ({ id, title: '', observable: true, reason: '' }));
  return { framework, provider: null, name: framework, controls };
}

function rulesTable(rules: readonly RuleMetadata[]): string {
  const lines = rules.map(
    (r) =>
      `${r.id.padEnd(16)} ${r.severity.padEnd(8)} ${r.title}  [${r.kinds.join(', ')}]  ${Object.entries(
        r.frameworks,
      )
        .map(([framework, ids]) => `${framework} ${ids.join(' ')}`)
        .join('; ')}`,
  );
  return `${lines.join('\n')}\n${rules.length} rule(s).\n`;
}

function controlsTable(rows: readonly ControlRow[]): string {
  const text = (row: ControlRow) =>
    row.status === 'covered'
      ? `covered: ${row.rules.join(', ')}`
      : row.status === 'unobservable'
        ? `not observable from inventory: ${row.reason}`
        : 'planned';
  return rows
    .map(
      (row) => `${row.id.padEnd(8)} ${text(row)}${row.title === null ? '' : `  — ${row.title}`}\n`,
    )
    .join('');
}
