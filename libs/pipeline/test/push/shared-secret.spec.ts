import { describe, expect, it } from 'vitest';
import { verifySharedSecret } from '../../src/push/shared-secret.js';

describe('verifySharedSecret', () => {
  it('accepts the secret, or any of the secrets during a rotation', () => {
    expect(verifySharedSecret('s3cret', 's3cret')).toBe(true);
    expect(verifySharedSecret('new', ['old', 'new'])).toBe(true);
  });

  it('refuses another, a prefix, a longer one, an empty or a missing one', () => {
    for (const provided of ['S3cret', 's3cre', 's3cret!', '', undefined]) {
      expect(verifySharedSecret(provided, 's3cret')).toBe(false);
    }
  });

  it('refuses to run with no secret configured', () => {
    expect(() => verifySharedSecret('', '')).toThrow(RangeError);
    expect(() => verifySharedSecret('x', [])).toThrow(RangeError);
  });
});
