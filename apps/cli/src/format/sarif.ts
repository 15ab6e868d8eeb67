import type { RuleMetadata, Severity } from '@drift-detective/policy-engine';
import type { ScanResult } from '../scan/scan.js';
import { prettyJsonPieces } from './pretty-json.js';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the
 * format code-scanning dashboards read. A cloud resource has no file, so each
 * result names its resource as a logical location and as a URI-like artifact.
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
};

/** GitHub code scanning reads a 0.0–10.0 score from properties["security-severity"]. */
const SCORE: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
  INFORMATIONAL: '0.0',
};

export function formatSarifPieces(
  result: ScanResult,
  rules: readonly RuleMetadata[],
  version: string,
): Iterable<string> {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return prettyJsonPieces(
    (hole) => ({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'drift-detective',
              version,
              rules: rules.map((rule) => ({
                id: rule.id,
                name: rule.package.split('.').pop(),
                shortDescription: { text: rule.title },
                fullDescription: { text: rule.description || rule.title },
                help: {
                  text: Object.entries(rule.remediation)
                    .map(([p, text]) => `${p}: ${text}`)
                    .join('\n'),
                },
                defaultConfiguration: { level: LEVEL[rule.severity] },
                properties: {
                  'security-severity': SCORE[rule.severity],
                  tags: ['security', ...rule.kinds, ...Object.keys(rule.frameworks)],
                },
              })),
            },
          },
          results: hole,
        },
      ],
    }),
    (function* () {
      for (const f of result.findings)
        yield {
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: f.resourceId } },
              logicalLocations: [
                { name: f.resourceName, fullyQualifiedName: f.resourceId, kind: f.resourceType },
              ],
            },
          ],
          partialFingerprints: { driftFindingId: f.id },
          properties: {
            provider: f.provider,
            account: f.account,
            region: f.region,
            details: f.details,
          },
        };
    })(),
  );
}

export function formatSarif(
  result: ScanResult,
  rules: readonly RuleMetadata[],
  version: string,
): string {
  return [...formatSarifPieces(result, rules, version)].join('');
}
