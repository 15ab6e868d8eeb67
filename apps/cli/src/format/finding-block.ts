/** What a finding block shows: a scan finding, or a violation of one evaluated resource. */
export interface BlockFinding {
  readonly severity: string;
  readonly ruleId: string;
  readonly title: string;
  readonly resourceId: string;
  readonly resourceType?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | null | undefined;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly remediation?: string | undefined;
  /** ACTIVE unless said otherwise. */
  readonly status?: string | undefined;
  readonly transition?: string | undefined;
  readonly waiver?: { expires: string; owner: string; reason: string } | null | undefined;
}

/** One finding for people: headline, resource, message, its causes, and how to fix it. */
export function findingBlock(f: BlockFinding): string[] {
  const status = f.status ?? 'ACTIVE';
  const state = [status !== 'ACTIVE' ? status : '', f.transition ?? ''].filter((t) => t !== '');
  const lines = [
    `${f.severity.padEnd(8)} ${f.ruleId}  ${f.title}${state.length ? `  [${state.join(', ')}]` : ''}`,
  ];
  const where = [f.resourceType, f.account, f.region].filter((p): p is string => !!p);
  lines.push(`  resource: ${f.resourceId}${where.length ? ` (${where.join(', ')})` : ''}`);
  lines.push(`  ${f.message}`);
  const causes = f.details['causes'];
  // A single cause that is the message itself says nothing new.
  if (Array.isArray(causes) && !(causes.length === 1 && causes[0] === f.message)) {
    for (const cause of causes) lines.push(`    - ${String(cause)}`);
  }
  if (f.waiver) {
    lines.push(`  waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}`);
  }
  if (f.remediation && status === 'ACTIVE') lines.push(`  fix: ${f.remediation}`);
  lines.push('');
  return lines;
}
