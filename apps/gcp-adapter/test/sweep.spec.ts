// `drift-detective-gcp sweep` end to end: the built entry as a process, the
// official clients talking gRPC to the stand-in seeded with the sample export,
// Security Command Center findings read back from the stand-in.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readSweepRequest } from '@drift-detective/pipeline';
import { GCP_ENV, startGcpStandIn, type GcpStandIn } from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapter,
  adapterEnv,
  fixedRecords,
  PRIVATE_TWIN,
  PUBLIC_BUCKET,
  PUBLIC_RULE,
  reportLines,
  sccFindingsFor,
  sccFindingsOf,
  sampleRecords,
  SSH_OPEN,
  SSH_RULE,
  SSH_TWIN,
  STACK_FRAME,
  stateFindings,
  tempDir,
  toNdjson,
  WARNING_BANNER,
} from './support.js';

describe('gcp sweep against the stand-in', () => {
  let standIn: GcpStandIn;
  let dir: string;

  beforeAll(async () => {
    standIn = await startGcpStandIn({ seed: toNdjson(sampleRecords()) });
    dir = await tempDir('drift-gcp-sweep-');
  });
  afterAll(async () => standIn.close());

  it('opens an ACTIVE finding for the public bucket and the SSH-open firewall, none for their twins; a second sweep writes nothing', async () => {
    const state = path.join(dir, 'state.db');
    const first = await adapter(['sweep'], adapterEnv(standIn, state));
    expect(first.stderr).not.toMatch(STACK_FRAME);
    expect(first.stderr).not.toMatch(WARNING_BANNER);
    expect(first.code, first.stderr).toBe(0);
    expect(reportLines(first.stderr)).toEqual([
      expect.stringMatching(
        /^gcp sweep organizations\/671234098812: 18 resources in \d+ pages?, 0 resolved as deleted; findings: 12 opened, 0 updated, 0 resolved, 0 reopened; 0 records skipped$/,
      ),
    ]);

    const publicBucket = sccFindingsFor(standIn, PUBLIC_BUCKET, PUBLIC_RULE);
    expect(publicBucket).toHaveLength(1);
    expect(publicBucket[0]).toMatchObject({
      state: 'ACTIVE',
      severity: 'CRITICAL',
      findingClass: 'MISCONFIGURATION',
      mute: expect.not.stringMatching(/^MUTED$/),
    });
    expect(publicBucket[0]!.sourceProperties['ruleId']).toBe(PUBLIC_RULE);
    expect(sccFindingsFor(standIn, SSH_OPEN, SSH_RULE)).toMatchObject([{ state: 'ACTIVE' }]);
    expect(sccFindingsFor(standIn, PRIVATE_TWIN, PUBLIC_RULE)).toEqual([]);
    expect(sccFindingsFor(standIn, SSH_TWIN, SSH_RULE)).toEqual([]);

    // Every finding of the state went out, each once, under its identity.
    const findings = await stateFindings(state);
    expect(findings).toHaveLength(12);
    expect(sccFindingsOf(standIn)).toHaveLength(12);
    for (const finding of findings) {
      expect(finding.publishedAt).not.toBeNull();
      expect(
        sccFindingsOf(standIn).filter((f) => f.name.endsWith(`/findings/${finding.id}`)),
      ).toHaveLength(1);
    }

    const writes = standIn.writes();
    const second = await adapter(['sweep'], adapterEnv(standIn, state));
    expect(second.code, second.stderr).toBe(0);
    expect(reportLines(second.stderr)[0]).toMatch(
      /findings: 0 opened, 0 updated, 0 resolved, 0 reopened/,
    );
    expect(standIn.writes()).toBe(writes);
    expect(sccFindingsOf(standIn)).toHaveLength(12);
  });

  it('resolves the fixed bucket and firewall: the same finding names go INACTIVE', async () => {
    const state = path.join(dir, 'fix.db');
    const fresh = await startGcpStandIn({ seed: toNdjson(sampleRecords()) });
    try {
      expect((await adapter(['sweep'], adapterEnv(fresh, state))).code).toBe(0);
      const before = [
        ...sccFindingsFor(fresh, PUBLIC_BUCKET, PUBLIC_RULE),
        ...sccFindingsFor(fresh, SSH_OPEN, SSH_RULE),
      ].map((f) => f.name);
      expect(before).toHaveLength(2);

      fresh.replaceAssets(toNdjson(fixedRecords()));
      const fixed = await adapter(['sweep'], adapterEnv(fresh, state));
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(reportLines(fixed.stderr)[0]).toMatch(
        /findings: 0 opened, 0 updated, 2 resolved, 0 reopened/,
      );
      const after = [
        ...sccFindingsFor(fresh, PUBLIC_BUCKET, PUBLIC_RULE),
        ...sccFindingsFor(fresh, SSH_OPEN, SSH_RULE),
      ];
      expect(after.map((f) => f.name).sort()).toEqual([...before].sort());
      expect(after.every((f) => f.state === 'INACTIVE')).toBe(true);
      // The other findings stay as they were.
      expect(sccFindingsOf(fresh).filter((f) => f.state === 'ACTIVE')).toHaveLength(10);
      expect(sccFindingsOf(fresh)).toHaveLength(12);
    } finally {
      await fresh.close();
    }
  });

  it('prints one sweep request per project with --print-requests, and reads, writes and opens nothing', async () => {
    const state = path.join(dir, 'print.db');
    const calls = standIn.requests().length;
    const before = Date.now();
    const printed = await adapter(
      ['sweep', '--print-requests'],
      adapterEnv(standIn, state, { [GCP_ENV.projects]: '847203951166,dd-fixtures-prod' }),
    );
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stderr).toBe('');
    // One line each, as Cloud Scheduler's --message-body or gcloud pubsub topics publish takes it.
    const requests = printed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => readSweepRequest(JSON.parse(line), 'stdout'));
    expect(requests).toEqual([
      { cloud: 'gcp', shard: 'projects/847203951166', requestedAt: expect.any(String) },
      { cloud: 'gcp', shard: 'projects/dd-fixtures-prod', requestedAt: expect.any(String) },
    ]);
    const at = Date.parse(requests[0]!.requestedAt!);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(standIn.requests().length).toBe(calls);
    expect(existsSync(state)).toBe(false);
  });

  it('names a settings mistake in one line with exit 2, before any call', async () => {
    const state = path.join(dir, 'bad.db');
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ [GCP_ENV.endpoint]: '10.1.2.3:443' }, /plaintext is refused for 10\.1\.2\.3:443/],
      [
        { [GCP_ENV.projects]: undefined, [GCP_ENV.organization]: undefined },
        /gcp sweep needs projects/,
      ],
      [
        { [GCP_ENV.projects]: 'Not_A_Project' },
        /--projects: a sweep parent is .* got "projects\/Not_A_Project"/,
      ],
      [
        { DRIFT_GCP_ASSET_TYPES: 'storage.googleapis.com/Nope' },
        /--asset-types: .*storage\.googleapis\.com\/Nope/,
      ],
      [
        { [GCP_ENV.organization]: undefined, [GCP_ENV.projects]: '847203951166' },
        /findings live under an organization/,
      ],
    ];
    const calls = standIn.requests().length;
    for (const [extra, message] of cases) {
      const result = await adapter(['sweep'], adapterEnv(standIn, state, extra));
      expect(result.code, `${JSON.stringify(extra)}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    }
    expect(standIn.requests().length).toBe(calls);
  });
});

describe('gcp sweep when a parent cannot be read', () => {
  let standIn: GcpStandIn | undefined;
  afterEach(async () => standIn?.close());

  it('names the parent and the refusal, exits 2, and still sweeps the others', async () => {
    standIn = await startGcpStandIn({ seed: toNdjson(sampleRecords()) });
    const dir = await tempDir('drift-gcp-denied-');
    const state = path.join(dir, 'state.db');
    expect((await adapter(['sweep'], adapterEnv(standIn, state))).code).toBe(0);
    // Google answers a parent the caller may not read, or that does not exist, with
    // PERMISSION_DENIED; the stand-in does so for a project it holds nothing of.
    const result = await adapter(
      ['sweep'],
      adapterEnv(standIn, state, { [GCP_ENV.projects]: '847203951166,999999999999' }),
    );
    expect(result.stderr).not.toMatch(STACK_FRAME);
    const lines = reportLines(result.stderr);
    expect(lines).toEqual([
      expect.stringMatching(/^gcp sweep projects\/847203951166: .*0 resolved, 0 reopened/),
      expect.stringMatching(
        /^drift-detective: gcp sweep projects\/999999999999 failed: .*PERMISSION_DENIED.*projects\/999999999999/,
      ),
    ]);
    expect(result.code).toBe(2);
    expect((await stateFindings(state)).filter((f) => f.status === 'RESOLVED')).toEqual([]);
  });
});
