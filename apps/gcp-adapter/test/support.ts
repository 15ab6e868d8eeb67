// The built `drift-detective-gcp` as a test runs it: the Cloud Run service's
// entry, pointed at the GCP stand-in only through the variables production
// reads (DRIFT_GCP_ENDPOINT with DRIFT_GCP_PLAINTEXT for a loopback address,
// the organization and projects), plus what the push endpoint needs: tokens
// signed by a key of the test's own, published in a JWKS file.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Buffer } from 'node:buffer';
import { readStateFindings, type FindingRecord } from '@drift-detective/findings';
import {
  adapterProcessEnv,
  runNodeScript,
  startNodeScript,
  type GcpStandIn,
  type ProcessResult,
  type RunningProcess,
} from '@drift-detective/testing';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** The service's process entry. */
export const bin = path.resolve(import.meta.dirname, '..', 'bin', 'drift-detective-gcp.js');

export type { ProcessResult } from '@drift-detective/testing';

export function adapter(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runNodeScript(bin, args, env);
}

export function startAdapter(args: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  return startNodeScript(bin, args, env);
}

/** Variables of the runner's own environment the adapter must not inherit. */
const FOREIGN = /^(GOOGLE_|GCLOUD_|CLOUDSDK_|DRIFT_|PORT$|K_SERVICE$)/;

/**
 * The environment of an adapter process: the runner's (PATH…) without any
 * Google or drift setting of its own, then the stand-in's variables.
 */
export const adapterEnv = (
  standIn: Pick<GcpStandIn, 'env'>,
  statePath: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv =>
  adapterProcessEnv({ foreign: FOREIGN, standInEnv: standIn.env, statePath, extra });

/** The lines of stderr that are not JSON log lines: what the command says to a person. */
export function reportLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}

export const STACK_FRAME = /^\s+at /m;
export const WARNING_BANNER = /\(node:\d+\) \w*Warning/;

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** The state file's findings, read without taking the writer's lock. */
export const stateFindings = (statePath: string): Promise<FindingRecord[]> =>
  readStateFindings(statePath);

// ---------------------------------------------------------------------------
// Security Command Center as the stand-in holds it.

/** An SCC finding in the v2 API's JSON form, the fields the tests read. */
export interface SccFinding {
  readonly name: string;
  readonly state: string;
  readonly category: string;
  readonly resourceName: string;
  readonly severity: string;
  readonly mute: string;
  readonly findingClass: string;
  readonly sourceProperties: Record<string, unknown>;
}

export const sccFindingsOf = (standIn: Pick<GcpStandIn, 'findings'>): SccFinding[] =>
  standIn.findings() as SccFinding[];

/** The stand-in's findings of one resource (and one rule). */
export const sccFindingsFor = (
  standIn: Pick<GcpStandIn, 'findings'>,
  resource: string,
  rule?: string,
): SccFinding[] =>
  sccFindingsOf(standIn).filter(
    (f) => f.resourceName === resource && (rule === undefined || f.category === rule),
  );

// ---------------------------------------------------------------------------
// The sample export, and what tests build from it.

export const SAMPLE_PATH = path.join(ROOT, 'samples', 'gcp', 'cloud-asset-export.ndjson');

/** One line of a `gcloud asset export` file (snake_case, as exported). */
export type ExportRecord = Record<string, unknown> & { name: string; asset_type: string };

export function sampleRecords(): ExportRecord[] {
  return readFileSync(SAMPLE_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportRecord);
}

export const toNdjson = (records: readonly ExportRecord[]): string =>
  records.map((r) => JSON.stringify(r)).join('\n') + '\n';

export const PUBLIC_BUCKET = '//storage.googleapis.com/acme-public-assets';
export const PRIVATE_TWIN = '//storage.googleapis.com/acme-public-assets-17';
export const SSH_OPEN =
  '//compute.googleapis.com/projects/dd-fixtures-prod/global/firewalls/allow-ssh-anywhere';
export const SSH_TWIN =
  '//compute.googleapis.com/projects/dd-fixtures-prod/global/firewalls/allow-ssh-anywhere-14';
export const PUBLIC_RULE = 'DD-STORAGE-002';
export const SSH_RULE = 'DD-NET-001';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * `n` copies of the sample's compliant firewall under other names (deny-all-0000…):
 * with them an estate holds more RESOURCE records than one listAssets page (the reader
 * asks for 500), so a sweep reads two pages and saves a cursor between them. The copies
 * open no finding.
 */
export function twinFirewalls(n = 520): ExportRecord[] {
  const twin = JSON.stringify(sampleRecords().find((r) => r.name === SSH_TWIN));
  const last = SSH_TWIN.slice(SSH_TWIN.lastIndexOf('/') + 1);
  return Array.from(
    { length: n },
    (_, i) =>
      JSON.parse(twin.split(last).join(`deny-all-${String(i).padStart(4, '0')}`)) as ExportRecord,
  );
}

/** The records of one asset (RESOURCE, IAM_POLICY), copies. */
export function recordsOf(records: readonly ExportRecord[], name: string): ExportRecord[] {
  return records.filter((r) => r.name === name).map(clone);
}

/** The twin's record of a content type, renamed as the other asset (its compliant state). */
function asTwin(
  records: readonly ExportRecord[],
  twin: string,
  name: string,
  has: (r: ExportRecord) => boolean,
): ExportRecord {
  const found = records.find((r) => r.name === twin && has(r));
  if (found === undefined) throw new Error(`no record of ${twin}`);
  const lastOf = (n: string) => n.slice(n.lastIndexOf('/') + 1);
  return JSON.parse(JSON.stringify(found).split(lastOf(twin)).join(lastOf(name))) as ExportRecord;
}

/**
 * The sample with the public bucket's IAM policy and the SSH firewall's rules
 * replaced by their compliant twins': the estate once both are fixed.
 */
export function fixedRecords(): ExportRecord[] {
  const records = sampleRecords();
  const fixedFirewall = asTwin(records, SSH_TWIN, SSH_OPEN, (r) => r['resource'] !== undefined);
  return records.flatMap((r) => {
    if (r.name === PUBLIC_BUCKET && r['iam_policy'] !== undefined) {
      const policy = clone(r['iam_policy']) as { bindings?: { members?: string[] }[] };
      for (const binding of policy.bindings ?? []) {
        binding.members = (binding.members ?? []).filter(
          (m) => m !== 'allUsers' && m !== 'allAuthenticatedUsers',
        );
      }
      policy.bindings = (policy.bindings ?? []).filter((b) => (b.members ?? []).length > 0);
      return [{ ...r, iam_policy: policy }];
    }
    if (r.name === SSH_OPEN) return [fixedFirewall];
    return [r];
  });
}

// ---------------------------------------------------------------------------
// Pub/Sub push: tokens and envelopes.

export const PUSH_AUDIENCE = 'https://drift-detective-gcp.example.run.app/pubsub/push';
export const PUSH_SERVICE_ACCOUNT = 'pubsub-push@dd-fixtures-prod.iam.gserviceaccount.com';
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export interface PushSigner {
  /** The JWKS file the adapter reads (DRIFT_GCP_PUSH_JWKS). */
  readonly jwksFile: string;
  /** A token as Pub/Sub would sign it, with these claims changed. */
  token(overrides?: JWTPayload, options?: { readonly expiresInSec?: number }): Promise<string>;
  /** A token signed by another key with the same kid: a forgery. */
  forged(): Promise<string>;
}

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A signing key of the test's own, published in a JWKS file, and Google-shaped OIDC tokens. */
export async function pushSigner(dir: string): Promise<PushSigner> {
  const kid = 'test-key-1';
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwksFile = path.join(dir, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));
  const sign = async (
    key: SigningKey,
    overrides: JWTPayload = {},
    expiresInSec = 3600,
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    // The claims of a Pub/Sub push token (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions).
    const claims: JWTPayload = {
      iss: GOOGLE_ISSUER,
      aud: PUSH_AUDIENCE,
      azp: '107788990011223344556',
      sub: '107788990011223344556',
      email: PUSH_SERVICE_ACCOUNT,
      email_verified: true,
      iat: now,
      exp: now + expiresInSec,
      ...overrides,
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  };
  return {
    jwksFile,
    token: (overrides, options) => sign(privateKey, overrides, options?.expiresInSec),
    forged: () => sign(other.privateKey),
  };
}

/** The push variables of `serve`. */
export function pushEnv(signer: PushSigner): Record<string, string> {
  return {
    DRIFT_GCP_PUSH_AUDIENCE: PUSH_AUDIENCE,
    DRIFT_GCP_PUSH_SERVICE_ACCOUNT: PUSH_SERVICE_ACCOUNT,
    DRIFT_GCP_PUSH_JWKS: signer.jwksFile,
  };
}

let messageCounter = 0;

/** A Pub/Sub push request body around a feed message (https://cloud.google.com/pubsub/docs/push). */
export function pushEnvelope(
  feedMessage: unknown,
  options: { readonly messageId?: string; readonly deliveryAttempt?: number } = {},
): { body: string; messageId: string } {
  messageCounter += 1;
  const messageId = options.messageId ?? `${Date.now()}${messageCounter}`;
  const envelope = {
    message: {
      data: Buffer.from(JSON.stringify(feedMessage)).toString('base64'),
      attributes: {},
      messageId,
      message_id: messageId,
      publishTime: new Date().toISOString(),
      publish_time: new Date().toISOString(),
    },
    subscription: 'projects/dd-fixtures-prod/subscriptions/drift-detective-push',
    ...(options.deliveryAttempt === undefined ? {} : { deliveryAttempt: options.deliveryAttempt }),
  };
  return { body: JSON.stringify(envelope), messageId };
}

/** POSTs a push body with a bearer token; the status and body. */
export async function push(
  url: string,
  body: string,
  token: string | undefined,
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, text: await response.text() };
}
