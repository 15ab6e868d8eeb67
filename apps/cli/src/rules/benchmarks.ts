// The benchmarks' control lists (policies/frameworks/<framework>.tsv, shipped in the bundle's
// frameworks/ folder) and what the rules' METADATA says of each control.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RuleMetadata } from '@drift-detective/policy-engine';
import type { Provider } from '@drift-detective/resource-model';

export interface Control {
  readonly id: string;
  readonly title: string;
  /** Whether the evidence is in what the adapters read; when not, `reason` says why. */
  readonly observable: boolean;
  readonly reason: string;
}

export interface Benchmark {
  /** The key rules use in METADATA `frameworks`: cis-aws-3.0. */
  readonly framework: string;
  /** The cloud a CIS benchmark is about. */
  /** null for a framework that spans the clouds (nist-800-53). */
  readonly provider: Provider | null;
  readonly name: string;
  readonly controls: readonly Control[];
}

const PROVIDER_OF = /^cis-(aws|azure|gcp)-/;

/** A control list: `#` comment lines (the first names the benchmark), then a TSV with a header. */
export function parseBenchmark(framework: string, text: string): Benchmark {
  const provider = PROVIDER_OF.exec(framework)?.[1] as Provider | undefined;
  if (provider === undefined) throw new Error(`${framework}: not a cis-<cloud>-<version> list`);
  const lines = text.split('\n').filter((line) => line !== '');
  const comments = lines.filter((line) => line.startsWith('#'));
  const [header, ...rows] = lines.filter((line) => !line.startsWith('#'));
  if (header !== 'id\ttitle\tobservable\treason') {
    throw new Error(`${framework}: the header must be id, title, observable, reason`);
  }
  const name = (comments[0] ?? '').replace(/^#\s*/, '').replace(/:.*$/, '');
  const controls = rows.map((row, index) => {
    const [id, title, observable, reason = ''] = row.split('\t');
    if (!id || !title || (observable !== 'yes' && observable !== 'no')) {
      throw new Error(`${framework} row ${index + 1}: expected id, title, yes|no, reason`);
    }
    if (observable === 'no' && reason === '') {
      throw new Error(`${framework} ${id}: an unobservable control needs its reason`);
    }
    return { id, title, observable: observable === 'yes', reason };
  });
  return { framework, provider, name, controls };
}

/** The control lists of a folder (policies/frameworks, or a bundle's frameworks/), by name. */
export async function readBenchmarks(dir: string): Promise<Benchmark[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tsv')).sort();
  return Promise.all(
    files.map(async (file) =>
      parseBenchmark(file.replace(/\.tsv$/, ''), await readFile(path.join(dir, file), 'utf8')),
    ),
  );
}

export type Status =
  | { readonly kind: 'covered'; readonly rules: readonly string[] }
  | { readonly kind: 'unobservable'; readonly reason: string }
  | { readonly kind: 'planned' };

/** The rules whose METADATA names this control of this framework. */
export function rulesFor(
  framework: string,
  controlId: string,
  rules: readonly RuleMetadata[],
): string[] {
  return rules
    .filter((rule) => (rule.frameworks[framework] ?? []).includes(controlId))
    .map((rule) => rule.id)
    .sort();
}

export function statusOf(
  benchmark: Benchmark,
  control: Control,
  rules: readonly RuleMetadata[],
): Status {
  const covering = rulesFor(benchmark.framework, control.id, rules);
  if (covering.length > 0) return { kind: 'covered', rules: covering };
  return control.observable
    ? { kind: 'planned' }
    : { kind: 'unobservable', reason: control.reason };
}
