import {
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import type { FindingRecord, Observation } from '@drift-detective/findings';
import type { PipelineLogger } from '@drift-detective/pipeline';
import {
  faults,
  noFaults,
  startFaultProxy,
  startMotoServer,
  type FaultProxy,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF } from '../../src/securityhub/retry.js';
import {
  asffId,
  importFindings,
  SecurityHubPublishError,
  SecurityHubPublisher,
  toAsff,
  type SecurityHubPublisherOptions,
} from '../../src/securityhub/index.js';
import {
  manyFindings,
  newFinding,
  observationOf,
  reopenedFinding,
  resolvedFinding,
  suppressedFinding,
} from './records.js';

const T0 = '2026-11-01T08:00:00.000Z';
const T1 = '2026-11-02T08:00:00.000Z';
const NOW = new Date('2026-11-03T10:00:00.000Z');
const HOME = 'eu-west-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let sshOpen: Observation;
let bucketOpen: Observation;
let roleAdmin: Observation;

beforeAll(async () => {
  moto = await startMotoServer();
  sshOpen = await observationOf('dd-net-001-violating-ssh-open.json');
  bucketOpen = await observationOf('dd-storage-001-violating-bucket-block-off.json');
  roleAdmin = await observationOf('dd-iam-001-violating-role-inline-admin.json');
}, 60_000);

afterAll(async () => {
  await moto.stop();
});

beforeEach(async () => {
  await moto.reset();
});

/** Commands sent through a client, counted by an SDK middleware that only observes. */
function countingClient(endpoint: string, region: string, counts: Map<string, number>) {
  const client = new SecurityHubClient({ endpoint, region, credentials, maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return client;
}

interface LogLine {
  readonly level: keyof PipelineLogger;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

function recordingLogger(lines: LogLine[]): PipelineLogger {
  const at = (level: keyof PipelineLogger) => (fields: Record<string, unknown>, message: string) =>
    lines.push({ level, fields, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

interface Harness {
  readonly publisher: SecurityHubPublisher;
  readonly counts: Map<string, number>;
  readonly logs: LogLine[];
  readonly sleeps: number[];
}

function harness(
  endpoint = moto.endpoint,
  options: Partial<SecurityHubPublisherOptions> = {},
): Harness {
  const counts = new Map<string, number>();
  const logs: LogLine[] = [];
  const sleeps: number[] = [];
  const publisher = new SecurityHubPublisher({
    clientFor: (region) => countingClient(endpoint, region, counts),
    homeRegion: HOME,
    logger: recordingLogger(logs),
    clock: () => NOW,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { publisher, counts, logs, sleeps };
}

/** Every finding the region's hub holds (GetFindings pages of 100). */
async function hubFindings(region: string): Promise<AwsSecurityFinding[]> {
  const client = new SecurityHubClient({ endpoint: moto.endpoint, region, credentials });
  const all: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    all.push(...(page.Findings ?? []));
    token = page.NextToken ?? undefined;
  } while (token);
  return all;
}

function only(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding {
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

const workflowWarnings = (logs: readonly LogLine[]) =>
  logs.filter((l) => l.level === 'warn' && /BatchUpdateFindings/.test(l.message));

describe('SecurityHubPublisher against moto_server', () => {
  it('imports ACTIVE findings that GetFindings returns as sent, by account and region', async () => {
    const { publisher, counts, logs } = harness();
    const records = [
      newFinding(sshOpen, T0),
      newFinding(bucketOpen, T0),
      newFinding(roleAdmin, T0),
    ];
    await publisher.publish(records);

    const regional = await hubFindings('us-east-1');
    expect(regional.map((f) => f.Id).sort()).toEqual(
      [asffId(records[0]!.id), asffId(records[1]!.id)].sort(),
    );
    const sg = regional.find((f) => f.Id === asffId(records[0]!.id));
    expect(sg).toMatchObject({
      GeneratorId: 'DD-NET-001',
      AwsAccountId: '123456789012',
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Resources: [{ Type: 'AwsEc2SecurityGroup', Id: sshOpen.resourceId, Region: 'us-east-1' }],
    });
    const bucket = regional.find((f) => f.Id === asffId(records[1]!.id));
    expect(bucket?.Resources?.[0]?.Type).toBe('AwsS3Bucket');
    expect(bucket?.Severity?.Label).toBe(bucketOpen.severity);

    // The IAM role is global: it went to the home region's hub, not us-east-1's.
    const role = only(await hubFindings(HOME));
    expect(role).toMatchObject({
      Id: asffId(records[2]!.id),
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Resources: [{ Type: 'AwsIamRole', Region: HOME }],
    });
    // One request per account-region; new ACTIVE findings need no workflow update.
    expect(counts.get('BatchImportFindingsCommand')).toBe(2);
    expect(counts.get('BatchUpdateFindingsCommand')).toBeUndefined();
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('updates the same finding when it resolves: one finding, ARCHIVED and PASSED', async () => {
    const { publisher } = harness();
    const active = newFinding(sshOpen, T0);
    await publisher.publish([active]);
    expect(only(await hubFindings('us-east-1')).RecordState).toBe('ACTIVE');

    await publisher.publish([resolvedFinding(active, T1)]);
    const resolved = only(await hubFindings('us-east-1'));
    expect(resolved).toMatchObject({
      Id: asffId(active.id),
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
      CreatedAt: T0,
      UpdatedAt: NOW.toISOString(),
    });
    expect(resolved.ProductFields?.['drift-detective/Resolution']).toBe('compliant');
  });

  it('sends 250 findings in 3 BatchImportFindings requests', async () => {
    const { publisher, counts } = harness();
    const records = manyFindings(sshOpen, 250, T0);
    await publisher.publish(records);
    expect(counts.get('BatchImportFindingsCommand')).toBe(3);
    const held = await hubFindings('us-east-1');
    expect(new Set(held.map((f) => f.Id))).toEqual(new Set(records.map((r) => asffId(r.id))));
  });

  it('paces requests per account-region with the rate limiter', async () => {
    const { publisher, counts, sleeps } = harness(moto.endpoint, { maxRequestsPerSecond: 2 });
    await publisher.publish(manyFindings(sshOpen, 250, T0));
    expect(counts.get('BatchImportFindingsCommand')).toBe(3);
    // A burst of 2, then the third request waits for a token (at most half a second at 2/s).
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(500);
  });

  it('warns once per endpoint that BatchUpdateFindings is missing, and still publishes', async () => {
    const { publisher, counts, logs } = harness();
    const active = newFinding(sshOpen, T0);
    const resolved = resolvedFinding(active, T1);
    await publisher.publish([resolved]);
    await publisher.publish([suppressedFinding(bucketOpen, T0)]);
    await publisher.publish([reopenedFinding(resolved, sshOpen, T1)]);

    const warnings = workflowWarnings(logs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/workflow status is not set/);
    expect(warnings[0]?.fields).toMatchObject({ region: 'us-east-1' });
    // Tried once, then skipped for that endpoint; every import went through.
    expect(counts.get('BatchUpdateFindingsCommand')).toBe(1);
    expect(counts.get('BatchImportFindingsCommand')).toBe(3);
    expect(await hubFindings('us-east-1')).toHaveLength(2);

    // Another region is another endpoint: its own single warning.
    await publisher.publish([resolvedFinding(newFinding(roleAdmin, T0), T1)]);
    await publisher.publish([suppressedFinding(roleAdmin, T1)]);
    expect(workflowWarnings(logs)).toHaveLength(2);
    expect(workflowWarnings(logs)[1]?.fields).toMatchObject({ region: HOME });
  });
});

describe('importFindings: FailedFindings from moto_server', () => {
  it('reports a finding the hub refused with its ErrorCode, and imports the rest', async () => {
    const client = new SecurityHubClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials,
    });
    let requests = 0;
    const hub = {
      client,
      account: '123456789012',
      region: 'us-east-1',
      call: <T>(send: () => Promise<T>) => {
        requests++;
        return send();
      },
      maxAttempts: 3,
      backoff: { ...DEFAULT_BACKOFF, random: () => 0.5 },
      sleep: async () => undefined,
    };
    const good = toAsff(newFinding(sshOpen, T0), { now: T0, homeRegion: HOME });
    // moto checks one thing of a finding: at least one entry in Resources.
    const bad: AwsSecurityFinding = { ...good, Id: 'drift-detective/no-resources', Resources: [] };
    const result = await importFindings(hub, [good, bad]);

    expect(result.imported.map((f) => f.Id)).toEqual([good.Id]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ item: { Id: bad.Id }, errorCode: 'InvalidInput' });
    expect(result.failed[0]?.errorMessage).toMatch(/at least one resource/);
    expect(requests).toBe(1); // InvalidInput will not pass: not sent again
    expect(only(await hubFindings('us-east-1')).Id).toBe(good.Id);
  });
});

describe('SecurityHubPublisher through a fault-injecting proxy', () => {
  let proxy: FaultProxy | undefined;
  const imports = () =>
    proxy?.requests.filter((r) => r.operation === 'BatchImportFindings').length ?? 0;

  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  /** Marks the finding with the given ASFF Id as failed in moto's answer (moto did import it). */
  function failedInAnswer(id: string, code: string) {
    return (body: Buffer): Buffer => {
      const answer = JSON.parse(body.toString('utf8')) as {
        FailedCount: number;
        SuccessCount: number;
        FailedFindings: unknown[];
      };
      return Buffer.from(
        JSON.stringify({
          FailedCount: answer.FailedCount + 1,
          SuccessCount: answer.SuccessCount - 1,
          FailedFindings: [
            ...answer.FailedFindings,
            { Id: id, ErrorCode: code, ErrorMessage: 'Internal service failure' },
          ],
        }),
      );
    };
  }
  const isImport = (r: { operation: string }) => r.operation === 'BatchImportFindings';

  it('retries a throttled request and re-sends a finding that failed internally', async () => {
    const records = [newFinding(sshOpen, T0), newFinding(bucketOpen, T0)];
    const flaky = asffId(records[1]!.id);
    proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (r) =>
        isImport(r) && r.index === 0 ? faults.throttle('LimitExceededException') : null,
      rewrite: (r, body) =>
        isImport(r) && r.index === 1 ? failedInAnswer(flaky, 'InternalFailure')(body) : null,
    });
    const { publisher, sleeps, logs } = harness(proxy.endpoint);
    await publisher.publish(records);

    // 1: 429, 2: both sent, one answered InternalFailure, 3: that one alone.
    expect(imports()).toBe(3);
    expect(sleeps).toHaveLength(2); // one backoff per retry (random 0.5: half the ceiling)
    expect(sleeps[0]).toBe(DEFAULT_BACKOFF.baseDelayMs / 2);
    expect(logs.some((l) => l.level === 'warn' && /retrying/.test(l.message))).toBe(true);
    expect((await hubFindings('us-east-1')).map((f) => f.Id).sort()).toEqual(
      records.map((r) => asffId(r.id)).sort(),
    );
  });

  it('throws naming the finding and its ErrorCode once the attempts are used up', async () => {
    const records = [newFinding(sshOpen, T0), newFinding(bucketOpen, T0)];
    const stuck = records[1]!;
    proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: noFaults,
      rewrite: (r, body) =>
        isImport(r) ? failedInAnswer(asffId(stuck.id), 'InternalFailure')(body) : null,
    });
    const { publisher } = harness(proxy.endpoint, { maxAttempts: 3 });
    const error = await publisher.publish(records).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecurityHubPublishError);
    const failures = (error as SecurityHubPublishError).failures;
    expect(failures).toEqual([
      {
        id: stuck.id,
        account: '123456789012',
        region: 'us-east-1',
        operation: 'BatchImportFindings',
        errorCode: 'InternalFailure',
        errorMessage: 'Internal service failure',
      },
    ]);
    expect((error as Error).message).toContain(stuck.id);
    expect((error as Error).message).toContain('InternalFailure');
    expect(imports()).toBe(3);
  });

  it('gives up on a hub that keeps answering 5xx, naming every finding of the batch', async () => {
    proxy = await startFaultProxy({
      target: moto.endpoint,
      plan: (r) => (isImport(r) ? faults.serverError(503) : null),
    });
    const records: FindingRecord[] = [newFinding(sshOpen, T0), newFinding(bucketOpen, T0)];
    const { publisher, sleeps } = harness(proxy.endpoint, { maxAttempts: 4 });
    const error = await publisher.publish(records).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecurityHubPublishError);
    const failures = (error as SecurityHubPublishError).failures;
    expect(failures.map((f) => f.id).sort()).toEqual(records.map((r) => r.id).sort());
    expect(failures.every((f) => f.errorCode === 'ServiceUnavailable')).toBe(true);
    expect(imports()).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(await hubFindings('us-east-1')).toEqual([]);
  });
});
