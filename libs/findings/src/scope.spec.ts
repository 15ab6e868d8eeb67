import { describe, expect, it } from 'vitest';
import type { FindingRecord } from './finding.js';
import { inScope, ScopeTracker } from './scope.js';

const finding = (account: string, kind: string, region: string | null = 'us-east-1') =>
  ({ provider: 'aws', account, kind, region }) as FindingRecord;

describe('ScopeTracker', () => {
  it('covers exactly the combinations read, never their cross product', () => {
    const tracker = new ScopeTracker();
    tracker.see({ provider: 'aws', account: 'A', region: 'us-east-1', kind: 'network.firewall' });
    tracker.see({ provider: 'aws', account: 'B', region: 'us-east-1', kind: 'storage.bucket' });
    const covered = (f: FindingRecord) => tracker.covered().some((scope) => inScope(scope, f));
    expect(covered(finding('A', 'network.firewall'))).toBe(true);
    expect(covered(finding('B', 'storage.bucket'))).toBe(true);
    expect(covered(finding('A', 'storage.bucket'))).toBe(false);
    expect(covered(finding('B', 'network.firewall'))).toBe(false);
    expect(covered(finding('A', 'network.firewall', 'eu-west-1'))).toBe(false);
  });

  it('treats resources without a region as one region of their own', () => {
    const tracker = new ScopeTracker();
    tracker.see({ provider: 'aws', account: 'A', region: null, kind: 'iam.policy' });
    const [scope] = tracker.covered();
    expect(inScope(scope!, finding('A', 'iam.policy', null))).toBe(true);
    expect(inScope(scope!, finding('A', 'iam.policy', 'us-east-1'))).toBe(false);
    expect(tracker.covered()).toHaveLength(1);
  });
});
