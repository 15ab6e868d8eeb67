// `drift-detective-gcp serve` as Cloud Run runs it: the built process on PORT,
// its push endpoint called the way a Pub/Sub push subscription calls it (an OIDC
// token signed by a key published in a JWKS file, the envelope around a Cloud
// Asset feed message), Cloud Asset and Security Command Center through the
// official clients to the stand-in seeded with the sample export.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FindingRecord } from '@drift-detective/findings';
import { sweepRequestText } from '@drift-detective/pipeline';
import {
  gcpFaults,
  GCP_ENV,
  noGcpFaults,
  startGcpStandIn,
  waitFor,
  type GcpCallInfo,
  type GcpStandIn,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deletedMessage,
  faultOnce,
  isSccWrite,
  LEGACY_BUCKET_POLICY,
  madePublicMessage,
  minutesAgo,
  counterValue,
  sampleIamPolicy,
  scrape,
  startServe,
  stopServe,
  type Service,
} from './serve-support.js';
import {
  adapter,
  adapterEnv,
  PRIVATE_TWIN,
  PUBLIC_BUCKET,
  PUBLIC_RULE,
  push,
  pushEnvelope,
  pushSigner,
  reportLines,
  sampleRecords,
  STACK_FRAME,
  stateFindings,
  tempDir,
  toNdjson,
  WARNING_BANNER,
  sccFindingsFor,
  sccFindingsOf,
  twinFirewalls,
  type ExportRecord,
  type PushSigner,
  type SccFinding,
} from './support.js';

const BACKUPS = '//storage.googleapis.com/acme-backups';
const BACKUPS_19 = '//storage.googleapis.com/acme-backups-19';
const VERSIONING_RULE = 'DD-STORAGE-005';
/** Public access prevention left to a project that does not enforce it. */
const GUARDRAIL_RULE = 'DD-STORAGE-001';

/**
 * The sample estate, except that acme-backups and acme-backups-19 leave public access
 * prevention to their project, which does not enforce it: the allUsers grants these tests add
 * take effect (under enforced prevention they would grant nothing), and the guardrail is off.
 */
function exposableEstate(): ExportRecord[] {
  return sampleRecords().map((record) => {
    if (![BACKUPS, BACKUPS_19].includes(record.name) || record['resource'] === undefined) {
      return record;
    }
    const data = (record['resource'] as { data: { iamConfiguration: Record<string, unknown> } })
      .data;
    data.iamConfiguration['publicAccessPrevention'] = 'inherited';
    return record;
  });
}
const REQUESTS = 'drift_gcp_pubsub_requests_total';
const MESSAGES = 'drift_gcp_pubsub_messages_total';

let standIn: GcpStandIn;
let dir: string;
let signer: PushSigner;
/** Every service started: one a failed test left running is killed after all. */
const started = new Set<Service>();

const findingsOf = (): SccFinding[] => sccFindingsOf(standIn);
const sccFindings = (resource: string, rule?: string): SccFinding[] =>
  sccFindingsFor(standIn, resource, rule);
/** The dead-letter file's lines, parsed. */
const deadLetters = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const stateOf = async (statePath: string, resource: string) =>
  (await stateFindings(statePath)).filter((f) => f.resourceId === resource);

async function serve(statePath: string, extra: Record<string, string> = {}): Promise<Service> {
  const service = await startServe(standIn, statePath, signer, {
    DRIFT_DEAD_LETTER_FILE: path.join(dir, 'dead-letter.ndjson'),
    ...extra,
  });
  started.add(service);
  return service;
}

/** SIGTERM, as Cloud Run stops an instance: it must end 0 with its drained line. */
async function stop(service: Service): Promise<string> {
  const { code } = await stopServe(service);
  expect(code, service.process.stderr()).toBe(0);
  const stderr = service.process.stderr();
  expect(stderr).not.toMatch(STACK_FRAME);
  expect(stderr).not.toMatch(WARNING_BANNER);
  return stderr;
}

beforeAll(async () => {
  standIn = await startGcpStandIn({ seed: toNdjson(exposableEstate()) });
  dir = await tempDir('drift-gcp-serve-');
  signer = await pushSigner(dir);
}, 30_000);

afterAll(async () => {
  for (const service of started) await stopServe(service, 'SIGKILL');
  await standIn?.close();
});

afterEach(() => standIn.setFaults(noGcpFaults));

describe('drift-detective-gcp serve on the sample estate', () => {
  let service: Service;
  let statePath: string;
  /** The push envelope that made acme-backups public, kept for its redeliveries. */
  let madePublic: { body: string; messageId: string; message: unknown };

  beforeAll(async () => {
    // A sweep first, as the scheduled job would have run: the findings a feed then changes.
    statePath = path.join(dir, 'state.db');
    const sweep = await adapter(['sweep'], adapterEnv(standIn, statePath));
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(reportLines(sweep.stderr)[0]).toMatch(/findings: 14 opened, 0 updated/);
    expect(
      sccFindings(BACKUPS)
        .map((f) => [f.category, f.state])
        .sort(),
    ).toEqual([
      [GUARDRAIL_RULE, 'ACTIVE'],
      [VERSIONING_RULE, 'ACTIVE'],
    ]);
    service = await serve(statePath);
  }, 30_000);

  afterAll(async () => {
    if (!service) return;
    const stderr = await stop(service);
    // One ack per message id the pipeline took: the made-public message, its duplicate, the
    // deletion and the late one; redeliveries of a done id are answered without it. The two
    // unreadable pushes, dead-lettered by the endpoint before reaching it, count too.
    expect(reportLines(stderr)).toEqual(['gcp serve stopped: 4 acked, 0 retried, 2 dead-lettered']);
  });

  it('keeps the Cloud Run contract: listens on PORT, /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${service.base}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${service.base}/readyz`);
    expect(readyz.status).toBe(200);
    const metrics = await scrape(service.base);
    expect(metrics).toMatch(new RegExp(`^# TYPE ${REQUESTS} counter$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^# TYPE ${MESSAGES} counter$`, 'm'));
    // The push route only takes POST, and says so.
    const get = await fetch(service.pushUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    // It said where it listens: the loopback by default, with the push route.
    const listening = service.process
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'serving /healthz, /readyz and /metrics');
    expect(listening).toMatchObject({
      host: '127.0.0.1',
      port: Number(new URL(service.base).port),
      routes: ['/pubsub/push'],
    });
  });

  it('turns away a forged, expired, wrong-audience or missing token with 401, writing nothing', async () => {
    const writes = standIn.writes();
    const calls = standIn.requests().length;
    const state = await stateFindings(statePath);
    const { body } = pushEnvelope(madePublicMessage(BACKUPS, LEGACY_BUCKET_POLICY, minutesAgo(9)));
    const now = Math.floor(Date.now() / 1000);
    const attempts: Record<string, string | undefined> = {
      bad_signature: await signer.forged(),
      expired: await signer.token({ iat: now - 7200 }, { expiresInSec: -3600 }),
      wrong_audience: await signer.token({ aud: 'https://someone-else.example.run.app/push' }),
      missing: undefined,
    };
    for (const [reason, token] of Object.entries(attempts)) {
      const answer = await push(service.pushUrl, body, token);
      expect({ reason, ...answer }).toEqual({ reason, status: 401, text: 'unauthorized\n' });
    }
    // Each for its own reason, not by accident.
    const metrics = await scrape(service.base);
    for (const reason of Object.keys(attempts)) {
      expect(counterValue(metrics, REQUESTS, { status: '401', reason }), reason).toBe(1);
    }
    expect(counterValue(metrics, MESSAGES, { outcome: 'received', reason: 'change' })).toBe(0);
    // Nothing read, nothing written, nothing judged.
    expect(standIn.writes()).toBe(writes);
    expect(standIn.requests().length).toBe(calls);
    expect(await stateFindings(statePath)).toEqual(state);
  });

  it('opens an ACTIVE finding within one delivery of a feed message that makes a bucket public', async () => {
    const [versioning] = sccFindings(BACKUPS, VERSIONING_RULE);
    expect(sccFindings(BACKUPS, PUBLIC_RULE)).toEqual([]);
    const changedAt = minutesAgo(10);
    const message = madePublicMessage(BACKUPS, LEGACY_BUCKET_POLICY, changedAt);
    const envelope = pushEnvelope(message);
    madePublic = { ...envelope, message };

    const answer = await push(service.pushUrl, envelope.body, await signer.token());
    expect(answer).toEqual({ status: 204, text: '' });

    // Already in SCC when Pub/Sub gets its acknowledgement.
    const opened = sccFindings(BACKUPS, PUBLIC_RULE);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      state: 'ACTIVE',
      mute: expect.not.stringMatching(/^MUTED$/),
    });
    expect(opened[0]!.sourceProperties).toMatchObject({
      ruleId: PUBLIC_RULE,
      status: 'ACTIVE',
      changedAt,
      changeType: 'update',
      changedFields: [
        {
          path: 'iamPolicy.bindings["roles/storage.objectViewer"]',
          before: null,
          after: ['allUsers'],
        },
      ],
    });
    // The IAM policy was judged with the bucket's RESOURCE: versioning is still off, not resolved.
    expect(sccFindings(BACKUPS, VERSIONING_RULE)).toEqual([
      expect.objectContaining({ name: versioning!.name, state: 'ACTIVE' }),
    ]);
    const state = await stateOf(statePath, BACKUPS);
    expect(Object.fromEntries(state.map((f) => [f.ruleId, f.status]))).toEqual({
      [PUBLIC_RULE]: 'ACTIVE',
      [GUARDRAIL_RULE]: 'ACTIVE',
      [VERSIONING_RULE]: 'ACTIVE',
    });
    const publicRecord = state.find((f) => f.ruleId === PUBLIC_RULE)!;
    expect(opened[0]!.name).toMatch(new RegExp(`/findings/${publicRecord.id}$`));
    expect(publicRecord.publishedAt).not.toBeNull();
    expect(publicRecord.pendingTransition).toBeNull();
    const metrics = await scrape(service.base);
    expect(counterValue(metrics, REQUESTS, { status: '204', reason: 'delivered' })).toBe(1);
    expect(counterValue(metrics, MESSAGES, { outcome: 'received', reason: 'change' })).toBe(1);
  });

  it('changes nothing when Pub/Sub delivers the same message 10 more times, or publishes it twice', async () => {
    expect(madePublic).toBeDefined();
    const writes = standIn.writes();
    const scc = findingsOf();
    const state = await stateFindings(statePath);
    for (let attempt = 2; attempt <= 11; attempt += 1) {
      // The same envelope, as a push subscription without a dead-letter policy redelivers it.
      const answer = await push(service.pushUrl, madePublic.body, await signer.token());
      expect({ attempt, ...answer }).toEqual({ attempt, status: 204, text: '' });
    }
    expect(standIn.writes()).toBe(writes);
    expect(findingsOf()).toEqual(scc);
    expect(await stateFindings(statePath)).toEqual(state);

    // The same feed message under a new messageId: Pub/Sub may publish a message twice.
    const duplicate = pushEnvelope(madePublic.message);
    expect(duplicate.messageId).not.toBe(madePublic.messageId);
    expect(await push(service.pushUrl, duplicate.body, await signer.token())).toEqual({
      status: 204,
      text: '',
    });
    expect(standIn.writes()).toBe(writes);
    expect(findingsOf()).toEqual(scc);
    // Judged again as the same state: only when the findings were last seen moves on.
    const withoutLastSeen = (findings: readonly FindingRecord[]) =>
      findings.map(({ lastSeen: _lastSeen, ...rest }) => rest);
    expect(withoutLastSeen(await stateFindings(statePath))).toEqual(withoutLastSeen(state));
    const metrics = await scrape(service.base);
    expect(counterValue(metrics, REQUESTS, { status: '204', reason: 'delivered' })).toBe(12);
  });

  it('resolves the findings of a deleted bucket: the same SCC findings go INACTIVE', async () => {
    const before = sccFindings(BACKUPS);
    expect(before.map((f) => [f.category, f.state]).sort()).toEqual([
      [GUARDRAIL_RULE, 'ACTIVE'],
      [PUBLIC_RULE, 'ACTIVE'],
      [VERSIONING_RULE, 'ACTIVE'],
    ]);
    const others = findingsOf().filter((f) => f.resourceName !== BACKUPS);
    const envelope = pushEnvelope(deletedMessage(BACKUPS, minutesAgo(5)));
    const answer = await push(service.pushUrl, envelope.body, await signer.token());
    expect(answer).toEqual({ status: 204, text: '' });

    const after = sccFindings(BACKUPS);
    expect(after.map((f) => f.name).sort()).toEqual(before.map((f) => f.name).sort());
    expect(after.map((f) => f.state)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
    expect(after.map((f) => f.sourceProperties['resolution'])).toEqual([
      'deleted',
      'deleted',
      'deleted',
    ]);
    expect(findingsOf().filter((f) => f.resourceName !== BACKUPS)).toEqual(others);
    expect(
      (await stateOf(statePath, BACKUPS)).map((f) => [
        f.ruleId,
        f.status,
        f.resolution,
        f.publishedAt !== null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [PUBLIC_RULE, 'RESOLVED', 'deleted', true],
        [GUARDRAIL_RULE, 'RESOLVED', 'deleted', true],
        [VERSIONING_RULE, 'RESOLVED', 'deleted', true],
      ]),
    );
    const metrics = await scrape(service.base);
    expect(counterValue(metrics, MESSAGES, { outcome: 'received', reason: 'deletion' })).toBe(1);

    // The message that made it public, delivered late after all: older than the deletion.
    const writes = standIn.writes();
    expect(
      (await push(service.pushUrl, pushEnvelope(madePublic.message).body, await signer.token()))
        .status,
    ).toBe(204);
    expect(standIn.writes()).toBe(writes);
    expect(sccFindings(BACKUPS).map((f) => f.state)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
  });

  it('acknowledges a push whose data is not a feed message, dead-lettering it with its reason', async () => {
    const deadLetterFile = path.join(dir, 'dead-letter.ndjson');
    const writes = standIn.writes();
    const calls = standIn.requests().length;
    const state = await stateFindings(statePath);
    const bodies = {
      notBase64: JSON.stringify({
        message: {
          data: '%%% not base64 %%%',
          messageId: '9001',
          publishTime: new Date().toISOString(),
        },
        subscription: 'projects/dd-fixtures-prod/subscriptions/drift-detective-push',
      }),
      notJson: JSON.stringify({
        message: {
          data: Buffer.from('{"asset": ').toString('base64'),
          messageId: '9002',
          publishTime: new Date().toISOString(),
        },
        subscription: 'projects/dd-fixtures-prod/subscriptions/drift-detective-push',
      }),
    };
    for (const body of Object.values(bodies)) {
      expect(await push(service.pushUrl, body, await signer.token())).toEqual({
        status: 204,
        text: '',
      });
    }
    const lines = deadLetters(deadLetterFile);
    expect(lines).toEqual([
      expect.objectContaining({
        id: '9001',
        source: 'pubsub:projects/dd-fixtures-prod/subscriptions/drift-detective-push/9001',
        reason: 'unreadable (bad_data): Pub/Sub message data is not base64',
        body: JSON.parse(bodies.notBase64) as unknown,
      }),
      expect.objectContaining({
        id: '9002',
        reason: 'unreadable (bad_data): Pub/Sub message data is not JSON',
      }),
    ]);
    const metrics = await scrape(service.base);
    expect(counterValue(metrics, MESSAGES, { outcome: 'unreadable', reason: 'bad_data' })).toBe(2);
    expect(counterValue(metrics, REQUESTS, { status: '204', reason: 'unreadable' })).toBe(2);
    expect(standIn.writes()).toBe(writes);
    expect(standIn.requests().length).toBe(calls);
    expect(await stateFindings(statePath)).toEqual(state);
  });
});

describe('drift-detective-gcp serve killed with -9 mid-delivery', () => {
  it('loses nothing: the redelivery after a restart publishes the finding, once', async () => {
    const statePath = path.join(dir, 'kill.db');
    const envelope = pushEnvelope(
      madePublicMessage(PRIVATE_TWIN, sampleIamPolicy(PRIVATE_TWIN), minutesAgo(4)),
    );
    // What the sweep found of the twin: public access prevention not enforced, nothing public.
    const guardrail = sccFindings(PRIVATE_TWIN);
    expect(guardrail.map((f) => [f.category, f.state])).toEqual([[GUARDRAIL_RULE, 'ACTIVE']]);
    const count = findingsOf().length;

    const first = await serve(statePath);
    // Every SCC write of this instance hangs; it dies meanwhile.
    let delayed = 0;
    let reached!: () => void;
    const hit = new Promise<void>((resolve) => (reached = resolve));
    standIn.setFaults((call) => {
      if (!isSccWrite('UpdateFinding')(call)) return null;
      delayed += 1;
      reached();
      return gcpFaults.delay(4_000);
    });
    const cut = push(first.pushUrl, envelope.body, await signer.token()).then(
      (answer) => answer,
      (error: unknown) => error,
    );
    await hit;
    expect(await stopServe(first, 'SIGKILL')).toMatchObject({ code: null, signal: 'SIGKILL' });
    standIn.setFaults(noGcpFaults);
    // No answer, so no acknowledgement: Pub/Sub delivers it again.
    expect(await cut).toBeInstanceOf(Error);
    expect(sccFindings(PRIVATE_TWIN, PUBLIC_RULE)).toEqual([]);
    // The state holds the judgement as not yet published, never as published.
    const pending = await stateOf(statePath, PRIVATE_TWIN);
    expect(
      pending.map((f) => [f.ruleId, f.status, f.pendingTransition, f.publishedAt]).sort(),
    ).toEqual(
      [
        [PUBLIC_RULE, 'ACTIVE', 'new', null],
        [GUARDRAIL_RULE, 'ACTIVE', 'new', null],
      ].sort(),
    );

    const second = await serve(statePath);
    try {
      const answer = await push(second.pushUrl, envelope.body, await signer.token());
      expect(answer).toEqual({ status: 204, text: '' });
      const published = sccFindings(PRIVATE_TWIN, PUBLIC_RULE);
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({ state: 'ACTIVE' });
      const record = pending.find((f) => f.ruleId === PUBLIC_RULE)!;
      expect(published[0]!.name).toMatch(new RegExp(`/findings/${record.id}$`));
      // The guardrail finding is the sweep's, written again under its name: not a second one.
      expect(sccFindings(PRIVATE_TWIN, GUARDRAIL_RULE)).toMatchObject([
        { name: guardrail[0]!.name, state: 'ACTIVE' },
      ]);
      expect(
        (await stateOf(statePath, PRIVATE_TWIN)).map((f) => [
          f.pendingTransition,
          f.publishedAt !== null,
        ]),
      ).toEqual([
        [null, true],
        [null, true],
      ]);
    } finally {
      await stop(second);
    }
    // The dead instance's writes land late: still one finding each, ACTIVE, no other.
    await waitFor('the delayed writes to land', () =>
      standIn.requests().filter((r) => r.fault === 'delay' && r.status === 'OK').length === delayed
        ? true
        : undefined,
    );
    expect(
      sccFindings(PRIVATE_TWIN)
        .map((f) => [f.category, f.state])
        .sort(),
    ).toEqual(
      [
        [PUBLIC_RULE, 'ACTIVE'],
        [GUARDRAIL_RULE, 'ACTIVE'],
      ].sort(),
    );
    expect(findingsOf()).toHaveLength(count + 1);
  }, 30_000);
});

describe('drift-detective-gcp serve on SIGTERM', () => {
  it('goes unready, refuses new deliveries, finishes the one in flight and exits 0 within 10 s', async () => {
    const statePath = path.join(dir, 'term.db');
    const service = await serve(statePath);
    const slow = faultOnce(isSccWrite('UpdateFinding'), gcpFaults.delay(3_000));
    standIn.setFaults(slow.plan);
    const inFlight = push(
      service.pushUrl,
      pushEnvelope(madePublicMessage(BACKUPS_19, LEGACY_BUCKET_POLICY, minutesAgo(3))).body,
      await signer.token(),
    );
    await slow.hit;
    const termAt = Date.now();
    service.process.child.kill('SIGTERM');

    const readyz = await waitFor('/readyz to say draining', async () => {
      const answer = await fetch(`${service.base}/readyz`);
      return answer.status === 503 ? answer.text() : undefined;
    });
    expect(readyz).toBe('not ready: draining\n');
    expect((await fetch(`${service.base}/healthz`)).status).toBe(200);
    // A delivery now goes back to Pub/Sub for later.
    const late = await fetch(service.pushUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await signer.token()}`,
      },
      body: pushEnvelope(
        madePublicMessage(PRIVATE_TWIN, sampleIamPolicy(PRIVATE_TWIN), minutesAgo(2)),
      ).body,
    });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(
      counterValue(await scrape(service.base), REQUESTS, { status: '503', reason: 'retry' }),
    ).toBe(1);

    // The one in flight is finished and acknowledged: the stop does not cut the SCC call.
    expect(await inFlight).toEqual({ status: 204, text: '' });
    expect(sccFindings(BACKUPS_19, PUBLIC_RULE)).toMatchObject([{ state: 'ACTIVE' }]);
    // The refused one was not judged: it is Pub/Sub's to deliver again.
    expect(await stateOf(statePath, PRIVATE_TWIN)).toEqual([]);
    const exited = await service.process.exited;
    expect(exited.code, service.process.stderr()).toBe(0);
    expect(exited.at - termAt).toBeLessThan(10_000);
    const stderr = service.process.stderr();
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(reportLines(stderr)).toEqual(['gcp serve stopped: 1 acked, 0 retried, 0 dead-lettered']);
    await expect(fetch(`${service.base}/healthz`)).rejects.toThrow();
  }, 30_000);
});

/** A sweep's RESOURCE page read (the firewalls are among the types it lists). */
// The RESOURCE pages ask every swept type; the firewall rules held for their networks are
// listed alone.
const resourcePage = (call: Pick<GcpCallInfo, 'method' | 'request'>): boolean =>
  call.method === 'ListAssets' &&
  call.request['contentType'] === 'RESOURCE' &&
  Array.isArray(call.request['assetTypes']) &&
  call.request['assetTypes'].length > 1 &&
  call.request['assetTypes'].includes('compute.googleapis.com/Firewall');

/** The push body of a sweep request, as Cloud Scheduler publishes `gcp sweep --print-requests`' line. */
const sweepRequestPush = (shard: string, messageId?: string) =>
  pushEnvelope(
    JSON.parse(sweepRequestText({ cloud: 'gcp', shard })),
    messageId === undefined ? {} : { messageId },
  );

describe('drift-detective-gcp serve taking sweep requests from its push subscription', () => {
  const PROJECT = 'projects/847203951166';
  let estate: GcpStandIn;
  let service: Service;
  let statePath: string;
  let deadLetterFile: string;

  beforeAll(async () => {
    // The copies first: the first listAssets page is all compliant firewalls, and every
    // finding of the sample is on the second page.
    estate = await startGcpStandIn({ seed: toNdjson([...twinFirewalls(), ...sampleRecords()]) });
    statePath = path.join(dir, 'sweep-requests.db');
    deadLetterFile = path.join(dir, 'sweep-requests-dead-letter.ndjson');
    // The same settings as the service: the project is the only parent swept.
    const env = { [GCP_ENV.projects]: '847203951166' };
    // A scheduled `gcp sweep` of the project that dies after its first page (the second is
    // refused): its checkpoint stays in the state for whoever sweeps the project next.
    estate.setFaults((call) =>
      resourcePage(call) && typeof call.request['pageToken'] === 'string'
        ? gcpFaults.permissionDenied()
        : null,
    );
    const failed = await adapter(['sweep'], adapterEnv(estate, statePath, env));
    estate.setFaults(noGcpFaults);
    expect(failed.code, failed.stderr).toBe(2);
    expect(reportLines(failed.stderr)).toEqual([
      expect.stringMatching(
        /^drift-detective: gcp sweep projects\/847203951166 failed: .*PERMISSION_DENIED/,
      ),
    ]);
    // Its first page held no finding.
    expect(sccFindingsOf(estate)).toEqual([]);
    service = await startServe(estate, statePath, signer, {
      ...env,
      DRIFT_DEAD_LETTER_FILE: deadLetterFile,
    });
    started.add(service);
  }, 30_000);

  afterAll(async () => {
    if (service) {
      const stderr = await stop(service);
      expect(reportLines(stderr)).toEqual([
        'gcp serve stopped: 1 acked, 0 retried, 2 dead-lettered',
      ]);
    }
    await estate?.close();
  });

  it('resumes the project the request names from the checkpoint a gcp sweep left, and answers 204 once its findings are in SCC', async () => {
    const from = estate.requests().length;
    const answer = await push(
      service.pushUrl,
      sweepRequestPush(PROJECT).body,
      await signer.token(),
    );
    expect(answer).toEqual({ status: 204, text: '' });

    // Every finding of the project is on the second page: all in SCC, each once, published;
    // not the one of the project beside it (847203951166-2, public to allUsers), unswept.
    const findings = await stateFindings(statePath);
    expect(findings).toHaveLength(11);
    expect(findings.every((f) => f.publishedAt !== null && f.status === 'ACTIVE')).toBe(true);
    expect(new Set(findings.map((f) => f.account))).toEqual(new Set(['847203951166']));
    expect(
      sccFindingsOf(estate)
        .map((f) => f.name.slice(f.name.lastIndexOf('/') + 1))
        .sort(),
    ).toEqual(findings.map((f) => f.id).sort());
    expect(sccFindingsFor(estate, PUBLIC_BUCKET, PUBLIC_RULE)).toMatchObject([{ state: 'ACTIVE' }]);
    // Resumed: its one RESOURCE page was the second, after the saved page token; only the
    // project was listed (org policies and firewall policies aside: those come from above it).
    const calls = estate.requests().slice(from);
    expect(calls.filter(resourcePage).map((e) => typeof e.request['pageToken'])).toEqual([
      'string',
    ]);
    const aboveIt = (e: (typeof calls)[number]) =>
      e.request['contentType'] === 'ORG_POLICY' ||
      JSON.stringify(e.request['assetTypes']) === '["compute.googleapis.com/FirewallPolicy"]';
    const parents = new Set(
      calls.filter((e) => e.method === 'ListAssets' && !aboveIt(e)).map((e) => e.request['parent']),
    );
    expect(parents).toEqual(new Set([PROJECT]));
    const done = service.process
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'sweep request done');
    // Its pages: the second RESOURCE page, then the IAM policies no resource took.
    expect(done).toMatchObject({
      shard: PROJECT,
      completed: true,
      sweptElsewhere: false,
      pages: 2,
    });
  });

  it('dead-letters a request for a parent outside --projects, or a broken one, and acknowledges both: nothing read', async () => {
    const from = estate.requests().length;
    const state = await stateFindings(statePath);
    const outside = sweepRequestPush('projects/dd-fixtures-staging', '8801');
    const broken = pushEnvelope(
      { kind: 'drift-detective/sweep-shard', v: 1, cloud: 'gcp' },
      { messageId: '8802' },
    );
    for (const { body } of [outside, broken]) {
      expect(await push(service.pushUrl, body, await signer.token())).toEqual({
        status: 204,
        text: '',
      });
    }
    const lines = deadLetters(deadLetterFile);
    expect(lines.map((l) => [l['id'], l['reason']])).toEqual([
      [
        '8801',
        'NormalizeError: sweep request for gcp projects/dd-fixtures-staging: not a parent these settings sweep (they sweep projects/847203951166); a request never widens what the adapter reads',
      ],
      ['8802', 'unreadable (bad_sweep_request): sweep request names no shard'],
    ]);
    expect(
      estate
        .requests()
        .slice(from)
        .filter((e) => e.method === 'ListAssets'),
    ).toEqual([]);
    expect(await stateFindings(statePath)).toEqual(state);
    const metrics = await scrape(service.base);
    expect(counterValue(metrics, MESSAGES, { outcome: 'received', reason: 'sweep_request' })).toBe(
      2,
    );
    expect(
      counterValue(metrics, MESSAGES, { outcome: 'unreadable', reason: 'bad_sweep_request' }),
    ).toBe(1);
  });
});
