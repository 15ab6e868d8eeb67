import { Buffer } from 'node:buffer';
import path from 'node:path';
import type { DeadLetterSink, ReceivedEvent } from '@drift-detective/pipeline';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWTPayload } from 'jose';
import { clone, nativeFixture, readJson } from '../helpers.js';

export const ORG = 'organizations/671234098812';
export const SUBSCRIPTION = 'projects/dd-fixtures-prod/subscriptions/drift-detective-push';
export const PUSH_ACCOUNT = 'drift-push@dd-fixtures-prod.iam.gserviceaccount.com';
export const AUDIENCE = 'https://drift.example.com/pubsub/push';
export const BACKUPS = '//storage.googleapis.com/acme-backups';

export type Json = Record<string, unknown>;

/** A fixture of test/fixtures/feed. */
export function pubsubFixture(name: string): Json {
  return readJson(path.join(import.meta.dirname, '..', 'fixtures', 'feed', name)) as Json;
}

/**
 * A feed message moved to `at` (window.startTime and asset.updateTime): batchGetAssetsHistory
 * only reads the last 35 days, so a message joined against the stand-in must be recent.
 */
export function at(message: Json, time: string): Json {
  const moved = clone(message);
  (moved['window'] as Json)['startTime'] = time;
  (moved['asset'] as Json)['updateTime'] = time;
  return moved;
}

export const minutesAgo = (minutes: number): string =>
  new Date(Date.now() - minutes * 60_000).toISOString();

/** Message ids like Pub/Sub's (decimal strings), unique per push built here. */
let nextId = 0;

/**
 * The push request Pub/Sub sends for a feed message, in the shape of
 * native/pubsub-push-feed-bucket.json (https://cloud.google.com/pubsub/docs/push).
 */
export function pushOf(
  message: Json | string,
  options: { messageId?: string; deliveryAttempt?: number } = {},
): Json {
  const data = typeof message === 'string' ? message : JSON.stringify(message);
  const messageId = options.messageId ?? `131712448679${String((nextId += 1)).padStart(5, '0')}`;
  return {
    message: {
      attributes: {},
      data: Buffer.from(data, 'utf8').toString('base64'),
      messageId,
      message_id: messageId,
      publishTime: '2026-11-20T09:14:06.114Z',
      publish_time: '2026-11-20T09:14:06.114Z',
    },
    subscription: SUBSCRIPTION,
    ...(options.deliveryAttempt === undefined ? {} : { deliveryAttempt: options.deliveryAttempt }),
  };
}

/** The export records (snake_case, one content type each) as NDJSON, for the stand-in's seed. */
export function ndjson(...records: unknown[]): string {
  return `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

/** The bucket acme-backups: RESOURCE with versioning off (DD-STORAGE-005), PAP enforced. */
export function backupsResource(): Json {
  return clone(nativeFixture('dd-storage-005-violating-versioning-disabled.json')) as Json;
}

/** An IAM_POLICY export record of acme-backups: the project's convenience members only. */
export function backupsIamPolicy(): Json {
  const [, policy] = clone(
    nativeFixture('dd-storage-002-compliant-project-members-only.json'),
  ) as Json[];
  return { ...policy, name: BACKUPS };
}

/** A key pair of the test's own and its key set: Google-style tokens without Google. */
export interface TestIssuer {
  readonly jwks: JSONWebKeySet;
  sign(
    claims: JWTPayload,
    options?: { expiresAt?: number | string; issuer?: string },
  ): Promise<string>;
}

export async function testIssuer(kid = 'test-key'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] },
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? 'https://accounts.google.com')
        .setIssuedAt()
        .setExpirationTime(options.expiresAt ?? '1h')
        .sign(privateKey),
  };
}

/** The claims of the token Pub/Sub sends for the push service account. */
export function pushClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    aud: AUDIENCE,
    azp: '117423190465732106128',
    sub: '117423190465732106128',
    email: PUSH_ACCOUNT,
    email_verified: true,
    ...overrides,
  };
}

export { countingCounter } from '@drift-detective/testing';

/** A dead-letter sink that keeps what it is given (and can be made to fail). */
export class DeadLetters implements DeadLetterSink {
  readonly items: { id: string; source: string; reason: string; body: unknown }[] = [];
  failing = false;

  async put(event: ReceivedEvent, reason: string): Promise<void> {
    if (this.failing) throw new Error('disk full');
    this.items.push({ id: event.id, source: event.source, reason, body: event.body });
  }
}
