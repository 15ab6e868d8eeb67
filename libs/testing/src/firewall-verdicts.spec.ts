import { addressSpan, type AddressSpan, type ResourceOf } from '@drift-detective/resource-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtPolicyEngine } from './built-policies.js';
import { coversInternet } from './firewall-verdicts.js';

const spanOf = (cidr: string): AddressSpan => {
  const span = addressSpan(cidr);
  if (span === null) throw new Error(`${cidr} is not a CIDR`);
  return span;
};

/** Blocks that can add up to the whole space or leave gaps: /1 to /3 pieces and a few others. */
const PIECES = [
  '0.0.0.0/1',
  '128.0.0.0/1',
  '0.0.0.0/2',
  '64.0.0.0/2',
  '128.0.0.0/2',
  '192.0.0.0/2',
  '0.0.0.0/3',
  '32.0.0.0/3',
  '96.0.0.0/3',
  '224.0.0.0/3',
  '10.0.0.0/8',
  '64.0.0.0/1',
  '::/1',
  '8000::/1',
  '4000::/2',
];

/** A Cloud SQL instance with public IP on and these authorized networks. */
function instance(cidrs: readonly string[]): ResourceOf<'database.instance'> {
  return {
    provider: 'gcp',
    kind: 'database.instance',
    nativeType: 'sqladmin.googleapis.com/Instance',
    id: '//cloudsql.googleapis.com/projects/p/instances/pg',
    name: 'pg',
    account: 'p',
    region: 'us-central1',
    tags: {},
    observedAt: '2026-01-01T00:00:00Z',
    native: null,
    properties: {
      engine: 'postgres',
      engineVersion: null,
      publicNetworkAccess: true,
      allowedNetworks: cidrs.map((cidr, i) => ({
        name: `n${i}`,
        cidr,
        startIp: null,
        endIp: null,
        span: spanOf(cidr),
      })),
      storageEncrypted: true,
      kmsKeyId: null,
      automatedBackups: null,
      tlsRequired: null,
      autoMinorVersionUpgrade: null,
      databaseFlags: null,
    },
  };
}

describe('coversInternet', () => {
  it('adds pieces up across orders and overlaps, and sees a gap', () => {
    expect(coversInternet(['128.0.0.0/1', '0.0.0.0/1'].map(spanOf))).toBe(true);
    expect(coversInternet(['64.0.0.0/2', '0.0.0.0/2', '128.0.0.0/1'].map(spanOf))).toBe(true);
    // Host bits are ignored: 64.0.0.0/1 is 0.0.0.0/1, and 128.0.0.0/2 is left out.
    expect(coversInternet(['64.0.0.0/1', '192.0.0.0/2'].map(spanOf))).toBe(false);
    expect(coversInternet(['0.0.0.0/2', '128.0.0.0/1'].map(spanOf))).toBe(false);
    expect(coversInternet(['0.0.0.0/1', '8000::/1'].map(spanOf))).toBe(false);
    expect(coversInternet([])).toBe(false);
  });

  // The Rego rule (policies/lib/addresses.rego) decides without sorting; this sweep sorts.
  it('agrees with the policy (DD-DB-001 on Cloud SQL) on random sets of pieces', async () => {
    const engine = await builtPolicyEngine();
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...PIECES), { maxLength: 6 }), (cidrs) => {
        const fired = engine.evaluate(instance(cidrs)).some((v) => v.ruleId === 'DD-DB-001');
        return fired === coversInternet(cidrs.map(spanOf));
      }),
      { numRuns: 300 },
    );
  });
});
