// `drift-detective-azure serve` as users run it: the built process, its webhook
// called the way Event Grid calls it (both schemas, both handshakes, an Entra ID
// token or the shared secret), every Azure call through the real SDK clients to
// the HTTPS stand-in seeded with the sample inventory, findings asserted as
// Defender for Cloud assessments in the stand-in.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStateStore } from '@drift-detective/findings';
import {
  noAzureFaults,
  startAzureStandIn,
  type AssessmentView,
  type AzureFault,
  type AzureRequestInfo,
  type AzureStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deliver,
  eventGridClaims,
  freePort,
  idOf,
  resourceEvent,
  runAdapter,
  sampleAnswer,
  sampleWith,
  startAdapter,
  stopAdapter,
  tokenIssuer,
  validationDelivery,
  waitFor,
  WEBHOOK_AUDIENCE,
  WEBHOOK_TENANT,
  withProperties,
  type Row,
  type RunningProcess,
  type TokenIssuer,
} from './webhook-support.js';

const SECRET = 'grid-secret-0123456789abcdef';

let standIn: AzureStandIn;
let dir: string;
let statePath: string;
let deadLetterFile: string;
let jwksFile: string;
let issuer: TokenIssuer;
/** Every webhook process started: one a failed test left running is ended after all. */
const started = new Set<RunningProcess>();
/** Every change made to the sample so far: each test changes resources of its own. */
const changed: Record<string, (row: Row) => Row | undefined> = {};

beforeAll(async () => {
  standIn = await startAzureStandIn({ seed: sampleAnswer() });
  dir = mkdtempSync(path.join(tmpdir(), 'drift-azure-serve-'));
  statePath = path.join(dir, 'state.db');
  deadLetterFile = path.join(dir, 'dead-letter.ndjson');
  issuer = tokenIssuer();
  jwksFile = path.join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(issuer.jwks));
  // The findings a webhook then updates: a sweep of the sample opens them.
  const sweep = await runAdapter(['sweep'], processEnv());
  expect(sweep.code, sweep.stderr).toBe(0);
  expect(sweep.stderr).toMatch(/findings: 11 opened, 0 updated, 0 resolved, 0 reopened/);
  expect(standIn.assessments().map((a) => a.properties.status.code)).toEqual(
    Array(11).fill('Unhealthy'),
  );
}, 30_000);

afterAll(async () => {
  for (const running of started) await stopAdapter(running, 'SIGKILL');
  await standIn?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => standIn.setFaults(noAzureFaults));

function processEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...standIn.env, DRIFT_STATE_PATH: statePath, LOG_LEVEL: 'info', ...extra };
}

/** Changes a resource of the sample in the stand-in (undefined: deletes it), keeping earlier changes. */
function change(name: string, to: (row: Row) => Row | undefined): void {
  changed[name] = to;
  standIn.replaceResources(sampleWith(changed));
}

/** The assessments on the sample's resource of this name (not on its children). */
function assessmentsOf(name: string): AssessmentView[] {
  const prefix = `${idOf(name)}/providers/Microsoft.Security/assessments/`.toLowerCase();
  return standIn.assessments().filter((a) => a.id.toLowerCase().startsWith(prefix));
}

function assessment(name: string, ruleId: string): AssessmentView | undefined {
  return assessmentsOf(name).find((a) => a.properties.additionalData?.['ruleId'] === ruleId);
}

/** The findings the state file holds as not yet published (read beside the running writer). */
async function unpublished(): Promise<[string, string][]> {
  const reader = new SqliteStateStore(statePath, { lock: false });
  try {
    return (await reader.unpublished()).map((f) => [f.ruleId, f.status]);
  } finally {
    await reader.close();
  }
}

/** The Defender for Cloud writes and all calls the stand-in has seen so far. */
function calls() {
  return { writes: standIn.writes(), requests: standIn.requests().length };
}

/** Every call made since `from` kept Microsoft's contracts, both ways. */
function expectContractsKept(from: number): void {
  const broken = standIn
    .requests()
    .slice(from)
    .filter((r) => !r.requestValid || !r.answerValid);
  expect(broken).toEqual([]);
}

/** One fault for the first request `matches` accepts; `hit` resolves when it arrives. */
function faultOnce(matches: (r: AzureRequestInfo) => boolean, fault: AzureFault) {
  let resolveHit!: () => void;
  const hit = new Promise<void>((resolve) => (resolveHit = resolve));
  let used = false;
  standIn.setFaults((r) => {
    if (used || !matches(r)) return null;
    used = true;
    resolveHit();
    return fault;
  });
  return hit;
}

const isPutOn = (name: string) => (r: AzureRequestInfo) =>
  r.operation === 'Assessments_CreateOrUpdate' && r.path.includes(`/${name}/providers/`);

interface Webhook {
  readonly process: RunningProcess;
  readonly base: string;
  /** The endpoint URL as the event subscription names it (with ?code= for the secret). */
  readonly url: string;
  /** The headers a caller presents (the Entra ID token, when that is how it authenticates). */
  readonly auth: () => Record<string, string>;
}

/** Starts `drift-detective-azure serve` on a free port and waits for /readyz. */
async function startWebhook(auth: 'entra' | 'secret'): Promise<Webhook> {
  const port = await freePort();
  const args = ['serve', '--port', String(port), '--dead-letter-file', deadLetterFile];
  if (auth === 'entra') {
    args.push('--webhook-audience', WEBHOOK_AUDIENCE, '--webhook-tenant', WEBHOOK_TENANT);
    args.push('--webhook-jwks', jwksFile);
  }
  const env = processEnv(auth === 'secret' ? { DRIFT_AZURE_WEBHOOK_SECRET: SECRET } : {});
  const running = startAdapter(args, env);
  started.add(running);
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the webhook to be ready', async () => {
    if (running.child.exitCode !== null) throw new Error(`serve exited: ${running.stderr()}`);
    const answer = await fetch(`${base}/readyz`).catch(() => undefined);
    return answer?.status === 200 ? true : undefined;
  });
  return {
    process: running,
    base,
    url: auth === 'secret' ? `${base}/eventgrid?code=${SECRET}` : `${base}/eventgrid`,
    auth: () =>
      auth === 'entra' ? { authorization: `Bearer ${issuer.sign(eventGridClaims())}` } : {},
  };
}

/** SIGTERM, as a deployment stops it: it must end 0, saying what it did. */
async function stopWebhook(hook: Webhook): Promise<string> {
  const { code } = await stopAdapter(hook.process);
  expect(code, hook.process.stderr()).toBe(0);
  return hook.process.stderr();
}

async function metrics(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}

describe('drift-detective-azure serve', () => {
  it('answers both handshakes to an authenticated caller, and neither to anyone else', async () => {
    const hook = await startWebhook('entra');
    try {
      const before = calls();
      const code = randomUUID();
      const validation = await deliver(hook.url, validationDelivery(code), {
        ...hook.auth(),
        'aeg-event-type': 'SubscriptionValidation',
      });
      expect(validation.status).toBe(200);
      expect(JSON.parse(validation.text)).toEqual({ validationResponse: code });

      // CloudEvents 1.0 abuse protection: OPTIONS naming the sender.
      const options = await fetch(hook.url, {
        method: 'OPTIONS',
        headers: { 'webhook-request-origin': 'eventgrid.azure.net', ...hook.auth() },
      });
      expect(options.status).toBe(200);
      expect(options.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
      expect(options.headers.get('webhook-allowed-rate')).toBe('*');

      // Without a token neither handshake is answered: a stranger cannot subscribe it.
      const stranger = await deliver(hook.url, validationDelivery(code));
      expect(stranger.status).toBe(401);
      expect(stranger.text).not.toContain(code);
      const strangerOptions = await fetch(hook.url, {
        method: 'OPTIONS',
        headers: { 'webhook-request-origin': 'eventgrid.azure.net' },
      });
      expect(strangerOptions.status).toBe(401);
      expect(strangerOptions.headers.get('webhook-allowed-origin')).toBeNull();

      // A handshake judges nothing and calls nothing in Azure.
      expect(calls()).toEqual(before);
    } finally {
      await stopWebhook(hook);
    }
  });

  it('turns away a caller without a valid token or secret with 401, processing nothing', async () => {
    const event = [resourceEvent('event-grid-schema', 'write', idOf('ddstor001public'))];
    const before = calls();
    const assessmentsBefore = standIn.assessments();

    const entra = await startWebhook('entra');
    try {
      const forger = tokenIssuer(); // the same kid, another key
      const now = Math.floor(Date.now() / 1000);
      const attempts: Record<string, Record<string, string>> = {
        missing: {},
        bad_signature: { authorization: `Bearer ${forger.sign(eventGridClaims())}` },
        expired: {
          authorization: `Bearer ${issuer.sign(eventGridClaims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }))}`,
        },
        wrong_audience: {
          authorization: `Bearer ${issuer.sign(eventGridClaims({ aud: 'api://someone-else' }))}`,
        },
      };
      for (const [reason, headers] of Object.entries(attempts)) {
        const answer = await deliver(entra.url, event, headers);
        expect({ reason, status: answer.status, body: answer.text }).toEqual({
          reason,
          status: 401,
          body: 'unauthorized\n',
        });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
      // Each was turned away for its own reason, not by accident.
      const scrape = await metrics(entra.base);
      for (const reason of Object.keys(attempts)) {
        expect(scrape).toMatch(
          new RegExp(
            `^drift_eventgrid_requests_total\\{status="401",reason="${reason}"\\} 1$`,
            'm',
          ),
        );
      }
      expect(scrape).not.toMatch(/drift_eventgrid_requests_total\{status="200"/);
    } finally {
      await stopWebhook(entra);
    }

    const secret = await startWebhook('secret');
    try {
      const wrong = await deliver(`${secret.base}/eventgrid?code=not-the-secret`, event);
      expect(wrong.status).toBe(401);
      const none = await deliver(`${secret.base}/eventgrid`, event);
      expect(none.status).toBe(401);
      const scrape = await metrics(secret.base);
      expect(scrape).toMatch(
        /^drift_eventgrid_requests_total\{status="401",reason="wrong_secret"\} 1$/m,
      );
      expect(scrape).toMatch(
        /^drift_eventgrid_requests_total\{status="401",reason="missing"\} 1$/m,
      );
    } finally {
      await stopWebhook(secret);
    }

    // Nothing was read (not even a token asked for) and nothing written.
    expect(calls()).toEqual(before);
    expect(standIn.assessments()).toEqual(assessmentsBefore);
  });

  it('answers a write batch 200 only once its assessments are written, attributed to the event', async () => {
    change('ddstor001public', withProperties({ allowBlobPublicAccess: false }));
    change('ddstor001private', withProperties({ allowBlobPublicAccess: true }));
    expect(assessment('ddstor001public', 'DD-STORAGE-001')?.properties.status.code).toBe(
      'Unhealthy',
    );
    expect(assessmentsOf('ddstor001private')).toEqual([]);
    const hook = await startWebhook('entra');
    try {
      const from = standIn.requests().length;
      const fix = resourceEvent('event-grid-schema', 'write', idOf('ddstor001public'), {
        changedBy: 'bob@contoso.com',
      });
      const breakage = resourceEvent('event-grid-schema', 'write', idOf('ddstor001private'), {
        changedBy: 'alice@contoso.com',
        time: '2099-01-01T10:20:30.456Z',
      });
      const answer = await deliver(hook.url, [fix, breakage], hook.auth());
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ received: 2, ignored: 0, rejected: [] });

      // Already there when the answer comes: Event Grid may forget the events now.
      const fixed = assessment('ddstor001public', 'DD-STORAGE-001');
      expect(fixed?.properties.status.code).toBe('Healthy');
      expect(fixed?.properties.additionalData).toMatchObject({ resolution: 'compliant' });
      const opened = assessmentsOf('ddstor001private');
      expect(opened).toHaveLength(1);
      expect(opened[0]?.properties.status).toMatchObject({
        code: 'Unhealthy',
        cause: 'DD-STORAGE-001',
      });
      // Who, when and how, from the event itself: its claims, time, operation and ids.
      const data = breakage['data'] as { correlationId: string };
      expect(opened[0]?.properties.additionalData).toMatchObject({
        ruleId: 'DD-STORAGE-001',
        changedBy: 'alice@contoso.com',
        changedAt: '2099-01-01T10:20:30.456Z',
        changeType: 'Microsoft.Storage/storageAccounts/write',
        relatedEvents: `${breakage['id'] as string},${data.correlationId}`,
      });
      // Each resource was read by id through ARM, as the events name it only.
      const reads = standIn
        .requests()
        .slice(from)
        .filter((r) => r.operation === 'ResourceGet')
        .map((r) => r.path);
      expect(reads.sort()).toEqual([idOf('ddstor001private'), idOf('ddstor001public')]);
      expectContractsKept(from);
    } finally {
      await stopWebhook(hook);
    }
  });

  it('deletes the assessments of a resource a CloudEvents delete names, and no other', async () => {
    change('ddnet002-any-any', () => undefined);
    const rules = (name: string) =>
      assessmentsOf(name)
        .map((a) => a.properties.additionalData?.['ruleId'])
        .sort();
    expect(rules('ddnet002-any-any')).toEqual(['DD-NET-001', 'DD-NET-002']);
    const untouched = assessmentsOf('ddnet001-open-ssh');
    const hook = await startWebhook('secret');
    try {
      const from = standIn.requests().length;
      // CloudEvents structured mode: one event, not an array.
      const event = resourceEvent('cloud-events-schema', 'delete', idOf('ddnet002-any-any'));
      const answer = await deliver(hook.url, event, {
        'content-type': 'application/cloudevents+json; charset=utf-8',
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ received: 1, ignored: 0, rejected: [] });
      // Deleted, not marked Healthy: the resource was not assessed and found compliant, it is gone.
      expect(assessmentsOf('ddnet002-any-any')).toEqual([]);
      const made = standIn.requests().slice(from);
      expect(made.filter((r) => r.operation === 'Assessments_Delete').map((r) => r.status)).toEqual(
        [200, 200],
      );
      // A deleted top-level resource has nothing to read.
      expect(made.filter((r) => r.operation === 'ResourceGet')).toEqual([]);
      expect(assessmentsOf('ddnet001-open-ssh')).toEqual(untouched);
      expectContractsKept(from);
    } finally {
      await stopWebhook(hook);
    }
  });

  it('changes nothing when the same batch comes 10 times more, nor after a restart', async () => {
    change(
      'ddstor004http',
      withProperties({ supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2' }),
    );
    const batch = [resourceEvent('event-grid-schema', 'write', idOf('ddstor004http'))];
    let hook = await startWebhook('secret');
    let first: string;
    let after: ReturnType<typeof calls>;
    let judged: AssessmentView[];
    try {
      const before = calls();
      const answer = await deliver(hook.url, batch);
      expect(answer.status).toBe(200);
      first = answer.text;
      expect(assessment('ddstor004http', 'DD-STORAGE-004')?.properties.status.code).toBe('Healthy');
      after = calls();
      expect(after.writes).toBe(before.writes + 1);
      judged = standIn.assessments();

      for (let i = 1; i <= 10; i += 1) {
        const again = await deliver(hook.url, batch, { 'aeg-delivery-count': String(i) });
        expect({ status: again.status, body: again.text }).toEqual({ status: 200, body: first });
      }
      // Answered from what this process already did: not even read again.
      expect(calls()).toEqual(after);
      expect(standIn.assessments()).toEqual(judged);
    } finally {
      await stopWebhook(hook);
    }

    // A new process remembers nothing but the state: it reads the resource again, writes nothing.
    hook = await startWebhook('secret');
    try {
      const from = standIn.requests().length;
      const again = await deliver(hook.url, batch, { 'aeg-delivery-count': '11' });
      expect({ status: again.status, body: again.text }).toEqual({ status: 200, body: first });
      expect(standIn.writes()).toBe(after.writes);
      expect(
        standIn
          .requests()
          .slice(from)
          .filter((r) => r.method !== 'GET'),
      ).toEqual([]);
      expect(standIn.assessments()).toEqual(judged);
    } finally {
      await stopWebhook(hook);
    }
  });

  it('dead-letters a malformed event with its reason and judges the rest of its batch', async () => {
    change('ddstor003plain', (row) => {
      const properties = row['properties'] as { encryption: { services: { blob: Row } } };
      properties.encryption.services.blob['enabled'] = true;
      return row;
    });
    const open = assessment('ddnet001-open-ssh', 'DD-NET-001');
    expect(open?.properties.status.code).toBe('Unhealthy');
    const hook = await startWebhook('secret');
    try {
      // A delete with a time that is no time: judged, it would drop an open finding.
      const broken = {
        ...resourceEvent('event-grid-schema', 'delete', idOf('ddnet001-open-ssh')),
        id: 'broken-1',
        eventTime: 'soon',
      };
      const good = resourceEvent('event-grid-schema', 'write', idOf('ddstor003plain'));
      const answer = await deliver(hook.url, [broken, good]);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({
        received: 2,
        ignored: 0,
        rejected: [
          {
            id: 'broken-1',
            reason: 'Microsoft.Resources.ResourceDeleteSuccess time "soon" is not RFC 3339',
          },
        ],
      });
      expect(assessment('ddstor003plain', 'DD-STORAGE-003')?.properties.status.code).toBe(
        'Healthy',
      );
      expect(assessment('ddnet001-open-ssh', 'DD-NET-001')).toEqual(open);

      const lines = readFileSync(deadLetterFile, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const dead = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(dead).toMatchObject({
        id: 'broken-1',
        source: 'eventgrid:DRIFT-DETECTIVE/broken-1',
        reason: expect.stringMatching(/^NormalizeError: .*time "soon" is not RFC 3339$/),
        body: { event: broken },
      });
      const scrape = await metrics(hook.base);
      expect(scrape).toMatch(
        /^drift_eventgrid_events_total\{outcome="rejected",reason="bad_time"\} 1$/m,
      );
    } finally {
      const stderr = await stopWebhook(hook);
      expect(stderr).toMatch(/azure serve stopped: 1 acked, 0 retried, 1 dead-lettered\n$/);
    }
  });

  it('finishes a batch cut by kill -9 when Event Grid delivers it again, writing each assessment once', async () => {
    change('ddnet001-open-ssh', (row) => {
      const rules = (row['properties'] as { securityRules: { properties: Row }[] }).securityRules;
      rules[0]!.properties['access'] = 'Deny';
      return row;
    });
    change('ddsql001-open', withProperties({ publicNetworkAccess: 'Disabled' }));
    const batch = [
      resourceEvent('event-grid-schema', 'write', idOf('ddnet001-open-ssh')),
      resourceEvent('event-grid-schema', 'write', idOf('ddsql001-open')),
    ];
    const metadataBefore = standIn.metadata();
    const countBefore = standIn.assessments().length;
    const putsOn = (name: string) =>
      standIn.requests().filter((r) => isPutOn(name)({ ...r, index: 0 })).length;
    const sqlPutsBefore = putsOn('ddsql001-open');

    // The NSG's assessment write hangs in Defender for Cloud; the process dies meanwhile.
    const delayed = faultOnce(isPutOn('ddnet001-open-ssh'), { kind: 'delay', ms: 4_000 });
    const first = await startWebhook('secret');
    // Settled as it ends, so the cut is seen as such (and never left unhandled).
    const cut = deliver(first.url, batch).then(
      (answer) => answer.status,
      (error: unknown) => error,
    );
    await delayed;
    // Its batch-mate is done meanwhile: judged, saved, published and recorded as published.
    await waitFor('the SQL server assessment to be published', async () =>
      assessment('ddsql001-open', 'DD-DB-001')?.properties.status.code === 'Healthy' &&
      (await unpublished()).every((f) => f[0] !== 'DD-DB-001')
        ? true
        : undefined,
    );
    expect(await stopAdapter(first.process, 'SIGKILL')).toMatchObject({
      code: null,
      signal: 'SIGKILL',
    });
    // No answer: Event Grid delivers the batch again.
    expect(await cut).toBeInstanceOf(Error);
    expect(assessment('ddnet001-open-ssh', 'DD-NET-001')?.properties.status.code).toBe('Unhealthy');
    // The state holds the judgement, not yet published.
    expect(await unpublished()).toEqual([['DD-NET-001', 'RESOLVED']]);

    const second = await startWebhook('secret');
    try {
      const writes = standIn.writes();
      const answer = await deliver(second.url, batch, { 'aeg-delivery-count': '1' });
      expect(answer.status).toBe(200);
      expect(assessment('ddnet001-open-ssh', 'DD-NET-001')?.properties.status.code).toBe('Healthy');
      // Only what was left undone is written: the NSG's assessment, not the SQL server's again.
      expect(standIn.writes()).toBe(writes + 1);
      expect(putsOn('ddsql001-open')).toBe(sqlPutsBefore + 1);
    } finally {
      await stopWebhook(second);
    }
    // The killed process's write lands late; still one assessment each, no new metadata.
    await waitFor('the delayed write to land', () =>
      standIn.requests().some((r) => r.fault === 'delay') ? true : undefined,
    );
    expect(assessment('ddnet001-open-ssh', 'DD-NET-001')?.properties.status.code).toBe('Healthy');
    expect(standIn.assessments()).toHaveLength(countBefore);
    expect(standIn.metadata()).toEqual(metadataBefore);
    expect(await unpublished()).toEqual([]);
  }, 30_000);

  it('on SIGTERM goes unready, refuses new deliveries, finishes the one it took and exits 0', async () => {
    change('ddstor002public', withProperties({ allowBlobPublicAccess: false }));
    const hook = await startWebhook('secret');
    const delayed = faultOnce(isPutOn('ddstor002public'), { kind: 'delay', ms: 2_000 });
    const taken = deliver(hook.url, [
      resourceEvent('event-grid-schema', 'write', idOf('ddstor002public')),
    ]);
    await delayed;
    expect((await fetch(`${hook.base}/healthz`)).status).toBe(200);
    hook.process.child.kill('SIGTERM');

    const readyz = await waitFor('/readyz to say draining', async () => {
      const answer = await fetch(`${hook.base}/readyz`);
      return answer.status === 503 ? answer.text() : undefined;
    });
    expect(readyz).toBe('not ready: draining\n');
    expect((await fetch(`${hook.base}/healthz`)).status).toBe(200);
    // A delivery now is sent back for later (Event Grid retries a 503).
    const late = await deliver(hook.url, [
      resourceEvent('event-grid-schema', 'write', idOf('ddstor001public')),
    ]);
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toMatch(/^\d+$/);
    const scrape = await metrics(hook.base);
    expect(scrape).toMatch(/^drift_eventgrid_requests_total\{status="503",reason="retry"\} 1$/m);

    // The one it took is finished and answered: the stop does not cut the Defender call.
    const answer = await taken;
    expect(answer.status).toBe(200);
    expect(assessment('ddstor002public', 'DD-STORAGE-001')?.properties.status.code).toBe('Healthy');
    const { code } = await hook.process.exited;
    expect(code, hook.process.stderr()).toBe(0);
    expect(hook.process.stderr()).toMatch(
      /azure serve stopped: 1 acked, 0 retried, 0 dead-lettered\n$/,
    );
    await expect(fetch(`${hook.base}/healthz`)).rejects.toThrow();
  });

  it('refuses to start without a way to authenticate callers: exit 2, one line naming the settings', async () => {
    const port = await freePort();
    const result = await runAdapter(['serve', '--port', String(port)], processEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'drift-detective: azure serve authenticates every caller: set --webhook-audience and ' +
        '--webhook-tenant (Entra ID), or DRIFT_AZURE_WEBHOOK_SECRET\n' +
        'Run drift-detective-azure --help for usage.\n',
    );

    const half = await runAdapter(
      ['serve', '--port', String(port), '--webhook-audience', WEBHOOK_AUDIENCE],
      processEnv(),
    );
    expect(half.code).toBe(2);
    expect(half.stderr).toBe(
      'drift-detective: Entra ID callers need both the audience (--webhook-audience) and the ' +
        'tenant (--webhook-tenant)\nRun drift-detective-azure --help for usage.\n',
    );
    // Refused before anything listens.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
