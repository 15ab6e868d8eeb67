import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `provided` equals one of the expected secrets, in time that does not
 * depend on where they differ. Both sides are hashed first, so the comparison
 * runs on equal lengths and leaks no length either. Every expected secret is
 * compared, so the time does not tell which one matched. Several secrets let a
 * sender's secret be rotated without failed deliveries: accept the old and the
 * new one while the sender is switched over.
 */
export function verifySharedSecret(
  provided: string | undefined,
  expected: string | readonly string[],
): boolean {
  const secrets = typeof expected === 'string' ? [expected] : expected;
  if (secrets.length === 0 || secrets.some((s) => s === '')) {
    // An empty secret would let in anyone who sends an empty one.
    throw new RangeError('a shared secret must be set and not empty');
  }
  const given = digest(provided ?? '');
  let matched = false;
  for (const secret of secrets) {
    matched = timingSafeEqual(given, digest(secret)) || matched;
  }
  return matched && provided !== undefined && provided !== '';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
