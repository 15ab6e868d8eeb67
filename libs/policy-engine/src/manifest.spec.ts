import { describe, expect, it } from 'vitest';
import { MetadataError, parseRuleMetadata } from './manifest.js';

const complete = {
  title: 'Public bucket',
  description: 'x',
  custom: {
    id: 'DD-STORAGE-002',
    severity: 'HIGH',
    kinds: ['storage.bucket'],
    frameworks: { 'nist-800-53': ['AC-3'] },
    remediation: { aws: 'Remove the grant.' },
  },
};

describe('parseRuleMetadata', () => {
  it('accepts complete metadata', () => {
    const rule = parseRuleMetadata('drift.rules.storage.x', complete);
    expect(rule).toMatchObject({
      id: 'DD-STORAGE-002',
      severity: 'HIGH',
      package: 'drift.rules.storage.x',
    });
  });

  it('turns a plain-text remediation into the default remediation', () => {
    const rule = parseRuleMetadata('p', {
      ...complete,
      custom: { ...complete.custom, remediation: 'Fix it.' },
    });
    expect(rule.remediation).toEqual({ default: 'Fix it.' });
  });

  it('lists every missing field at once, naming the package', () => {
    let message = '';
    try {
      parseRuleMetadata('drift.rules.storage.y', { title: 'T', custom: { id: 'S3-1' } });
    } catch (error) {
      expect(error).toBeInstanceOf(MetadataError);
      message = (error as Error).message;
    }
    expect(message).toContain('drift.rules.storage.y');
    for (const field of [
      'custom.id',
      'custom.severity',
      'custom.kinds',
      'custom.frameworks',
      'custom.remediation',
    ]) {
      expect(message).toContain(field);
    }
  });
});
