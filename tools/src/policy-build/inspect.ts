import { run, ToolError } from '../process.js';
import {
  MetadataError,
  parseRuleMetadata,
  type RuleMetadata,
} from '@drift-detective/policy-engine';

/** The part of `opa inspect -a -f json` output this build reads. */
interface InspectOutput {
  readonly annotations?: readonly {
    readonly annotations?: { readonly scope?: string; readonly [key: string]: unknown };
    readonly location?: { readonly file?: string; readonly row?: number };
    readonly path?: readonly { readonly value: string }[];
  }[];
  readonly namespaces?: Readonly<Record<string, readonly string[]>>;
}

/** Rule packages live exactly two levels below this: data.drift.rules.<group>.<name>. */
export const RULES_ROOT = 'data.drift.rules';

/**
 * Builds the manifest's rule list from the package-scope annotations of every
 * rule package, and fails when a rule package has none or a malformed one.
 * Returns rules sorted by id so that the manifest is reproducible.
 */
export function rulesFromInspect(inspect: InspectOutput): RuleMetadata[] {
  const rulePackages = Object.keys(inspect.namespaces ?? {}).filter(
    (ns) => ns.startsWith(`${RULES_ROOT}.`) && !ns.endsWith('_test'),
  );
  const problems: string[] = [];
  for (const ns of rulePackages) {
    if (ns.split('.').length !== 5) {
      problems.push(`${ns}: rule packages must be ${RULES_ROOT}.<group>.<name>`);
    }
  }
  const byPackage = new Map<string, RuleMetadata>();
  for (const entry of inspect.annotations ?? []) {
    if (entry.annotations?.scope !== 'package') continue;
    const ns = (entry.path ?? []).map((p) => p.value).join('.');
    if (!rulePackages.includes(ns)) continue;
    try {
      byPackage.set(ns, parseRuleMetadata(ns.replace(/^data\./, ''), entry.annotations));
    } catch (error) {
      if (!(error instanceof MetadataError)) throw error;
      const where = entry.location ? `${entry.location.file}:${entry.location.row}: ` : '';
      problems.push(`${where}${error.message}`);
    }
  }
  for (const ns of rulePackages) {
    if (!byPackage.has(ns) && !problems.some((p) => p.includes(ns))) {
      problems.push(`${ns}: rule package has no package-scope METADATA block`);
    }
  }
  const ids = new Map<string, string>();
  for (const rule of byPackage.values()) {
    const other = ids.get(rule.id);
    if (other) problems.push(`rule id ${rule.id} is used by both ${other} and ${rule.package}`);
    ids.set(rule.id, rule.package);
  }
  if (problems.length > 0) throw new MetadataError(problems.join('\n'));
  return [...byPackage.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The rules of a bundle or a policy tree, from their METADATA (`opa inspect
 * -a`), or a ToolError naming every incomplete block.
 */
export async function inspectRules(opaPath: string, target: string): Promise<RuleMetadata[]> {
  const inspect = await run(opaPath, ['inspect', '--annotations', '--format', 'json', target]);
  if (inspect.code !== 0) throw new ToolError(`opa inspect failed: ${inspect.stderr.trim()}`);
  try {
    return rulesFromInspect(JSON.parse(inspect.stdout) as InspectOutput);
  } catch (error) {
    if (error instanceof MetadataError)
      throw new ToolError(`rule METADATA is incomplete:\n${error.message}`);
    throw error;
  }
}
