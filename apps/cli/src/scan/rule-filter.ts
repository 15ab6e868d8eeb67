import { SEVERITIES, type Severity } from '@drift-detective/policy-engine';
import { UsageError } from '../usage.js';

/** "DD-NET-*" → /^DD-NET-.*$/ (only * is special). */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Splits repeated, comma-separated flag values: --rules A,B --rules C. */
export function listValues(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Which rule ids a scan reports: --rules (ids or globs) minus --exclude-rules. */
export function ruleFilter(
  include: readonly string[],
  exclude: readonly string[],
  known: readonly string[],
) {
  for (const pattern of [...include, ...exclude]) {
    const re = globToRegExp(pattern);
    if (!known.some((id) => re.test(id))) {
      throw new UsageError(`no rule matches '${pattern}' (rules: ${known.join(', ')})`);
    }
  }
  const includes = include.map(globToRegExp);
  const excludes = exclude.map(globToRegExp);
  return (ruleId: string) =>
    (includes.length === 0 || includes.some((re) => re.test(ruleId))) &&
    !excludes.some((re) => re.test(ruleId));
}

export function parseSeverity(value: string, flag: string): Severity {
  const upper = value.toUpperCase();
  if (!SEVERITIES.includes(upper as Severity)) {
    throw new UsageError(`${flag} must be one of ${SEVERITIES.join(', ')}, not '${value}'`);
  }
  return upper as Severity;
}

/** CRITICAL = 0 … INFORMATIONAL = 4: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
