// `drift-detective-gcp sweep` when Google misbehaves: UNAVAILABLE, quota
// (RESOURCE_EXHAUSTED with RetryInfo), DEADLINE_EXCEEDED, dropped connections
// and answers too late on the Cloud Asset reads and the Security Command
// Center writes; failures past the retries; a refusal for good; SIGTERM. The
// built entry runs as a process with its real backoff (base 1 s, full
// jitter), against the stand-in. Whatever the faults, once the sweep (or the
// run after a failed one) is done SCC holds exactly what a fault-free sweep
// leaves: the same findings in the same states, each written once.
import path from 'node:path';
import {
  freePort,
  gcpFaults,
  startGcpStandIn,
  waitFor,
  type GcpCallInfo,
  type GcpFault,
  type GcpFaultPlan,
  type GcpJournalEntry,
  type GcpStandIn,
} from '@drift-detective/testing';
import { readStateFindings } from '@drift-detective/findings';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adapter,
  adapterEnv,
  fixedRecords,
  PUBLIC_BUCKET,
  PUBLIC_RULE,
  reportLines,
  sampleRecords,
  twinFirewalls,
  STACK_FRAME,
  startAdapter,
  stateFindings,
  tempDir,
  toNdjson,
} from './support.js';

const ORG = 'organizations/671234098812';

// ---------------------------------------------------------------------------
// Estates.

const SAMPLE = toNdjson(sampleRecords());
// The sample first, then the copies: a second RESOURCE page; the same 12 findings.
const LARGE = toNdjson([...sampleRecords(), ...twinFirewalls()]);

// ---------------------------------------------------------------------------
// What SCC holds, and what was written.

interface SccFinding {
  readonly name: string;
  readonly state: string;
  readonly category: string;
  readonly resourceName: string;
  readonly severity: string;
  readonly mute: string;
}

/** A finding as compared across runs and stand-ins: its id (the source's id differs), and what it says. */
interface FindingDigest {
  readonly id: string;
  readonly state: string;
  readonly category: string;
  readonly resourceName: string;
  readonly severity: string;
  readonly mute: string;
}

const idOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

function digest(standIn: GcpStandIn): FindingDigest[] {
  return (standIn.findings() as SccFinding[])
    .map((f) => ({
      id: idOf(f.name),
      state: f.state,
      category: f.category,
      resourceName: f.resourceName,
      severity: f.severity,
      mute: f.mute,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The finding name an SCC call is about (UpdateFinding's finding.name, SetFindingState's name). */
const findingOf = (e: GcpJournalEntry): string | undefined => {
  const name = e.request['finding.name'] ?? e.request['name'];
  return typeof name === 'string' && name.includes('/findings/') ? idOf(name) : undefined;
};

/**
 * For each finding, the `method` calls that wrote it and no fault touched: a call answered
 * late (a `delay` fault) and sent again is applied twice, but only its retry counts here.
 */
function cleanWrites(entries: readonly GcpJournalEntry[], method: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) {
    const id = findingOf(e);
    if (e.method !== method || e.status !== 'OK' || e.fault !== undefined || id === undefined)
      continue;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Every finding of `ids` written once by `method`, and no other finding written at all. */
function expectWrittenOnce(
  entries: readonly GcpJournalEntry[],
  method: string,
  ids: readonly string[],
): void {
  expect(Object.fromEntries(cleanWrites(entries, method))).toEqual(
    Object.fromEntries(ids.map((id) => [id, 1])),
  );
  const named = new Set(entries.filter((e) => e.method === method).map(findingOf));
  expect([...named].filter((id) => id === undefined || !ids.includes(id))).toEqual([]);
}

/**
 * The faulted calls of a run, each with whether the same call (same method and request)
 * was answered OK later: a fault the client gave up on, or never retried, shows here.
 */
function faultedThenAnswered(entries: readonly GcpJournalEntry[]) {
  const same = (a: GcpJournalEntry, b: GcpJournalEntry) =>
    a.method === b.method && JSON.stringify(a.request) === JSON.stringify(b.request);
  return entries.flatMap((e, i) =>
    e.fault === undefined || e.fault === 'delay'
      ? []
      : [
          {
            method: e.method,
            fault: e.fault,
            answered: entries.slice(i + 1).some((o) => same(o, e) && o.status === 'OK'),
          },
        ],
  );
}

// ---------------------------------------------------------------------------
// Fault plans.

/** Which calls a step faults: a method, and for listAssets a content type and page. */
type Match = (call: GcpCallInfo) => boolean;

const sccCall =
  (method: string): Match =>
  (call) =>
    call.method === method;

/**
 * listAssets of a content type (RESOURCE, IAM_POLICY, ORG_POLICY; the project names are
 * CONTENT_TYPE_UNSPECIFIED); `paged`: only calls carrying a page token (the second page on),
 * or only those without. RESOURCE reads are the sweep's pages of every swept type: a resumed
 * run's check of which IAM policies' assets have a RESOURCE record names only the types of
 * those policies, never compute.googleapis.com/Firewall (firewalls have no IAM policy).
 */
const listing =
  (contentType: string, paged?: boolean): Match =>
  (call) => {
    const { request } = call;
    const types = request['assetTypes'];
    return (
      call.method === 'ListAssets' &&
      (request['contentType'] ?? 'CONTENT_TYPE_UNSPECIFIED') === contentType &&
      // The RESOURCE pages ask every swept type; the firewall rules held for their networks
      // are listed alone.
      (contentType !== 'RESOURCE' ||
        (Array.isArray(types) &&
          types.length > 1 &&
          types.includes('compute.googleapis.com/Firewall'))) &&
      (paged === undefined || (typeof request['pageToken'] === 'string') === paged)
    );
  };

interface Step {
  readonly match: Match;
  readonly fault: GcpFault;
  /** The matching calls skipped first (default 0). */
  readonly from?: number;
  /** How many get the fault (default: every one from `from` on). */
  readonly count?: number;
  /** Told when the step faults a call. */
  readonly onFault?: () => void;
}

/** Each step counts the calls it matches, retries included; the first step that faults a call wins. */
function steps(...list: Step[]): GcpFaultPlan {
  const seen = list.map(() => 0);
  return (call) => {
    for (const [i, step] of list.entries()) {
      if (!step.match(call)) continue;
      const nth = seen[i]!;
      seen[i] = nth + 1;
      const from = step.from ?? 0;
      if (nth >= from && nth < from + (step.count ?? Number.POSITIVE_INFINITY)) {
        step.onFault?.();
        return step.fault;
      }
    }
    return null;
  };
}

// ---------------------------------------------------------------------------

const standIns: GcpStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function standIn(seed: string): Promise<GcpStandIn> {
  const started = await startGcpStandIn({ seed });
  standIns.push(started);
  return started;
}

const statePath = async (): Promise<string> =>
  path.join(await tempDir('drift-gcp-faults-'), 'state.db');

const sweepLine = (opened: number, resolved = 0) =>
  new RegExp(
    `^gcp sweep ${ORG}: \\d+ resources in \\d+ pages, 0 resolved as deleted; findings: ${opened} opened, 0 updated, ${resolved} resolved, 0 reopened; 0 records skipped$`,
  );

/** What fault-free sweeps leave: of the sample, then of the sample once fixed. */
let clean: FindingDigest[];
let cleanFixed: FindingDigest[];

beforeAll(async () => {
  const gcp = await startGcpStandIn({ seed: SAMPLE });
  try {
    const state = await statePath();
    expect((await adapter(['sweep'], adapterEnv(gcp, state))).code).toBe(0);
    clean = digest(gcp);
    gcp.replaceAssets(toNdjson(fixedRecords()));
    expect((await adapter(['sweep'], adapterEnv(gcp, state))).code).toBe(0);
    cleanFixed = digest(gcp);
  } finally {
    await gcp.close();
  }
  expect(clean).toHaveLength(12);
  expect(clean.every((f) => f.state === 'ACTIVE')).toBe(true);
  expect(cleanFixed.filter((f) => f.state === 'INACTIVE')).toHaveLength(2);
}, 30_000);

const ids = (findings: readonly FindingDigest[]) => findings.map((f) => f.id);

describe('drift-detective-gcp sweep under Google faults', () => {
  it('Cloud Asset faults (UNAVAILABLE, RESOURCE_EXHAUSTED with RetryInfo, DEADLINE_EXCEEDED, a dropped connection) on reads across the sweep lose and duplicate nothing', async () => {
    const gcp = await standIn(LARGE);
    gcp.setFaults(
      steps(
        { match: listing('ORG_POLICY'), count: 1, fault: gcpFaults.unavailable() },
        { match: listing('IAM_POLICY'), count: 1, fault: gcpFaults.resourceExhausted(200) },
        { match: listing('RESOURCE', false), count: 1, fault: gcpFaults.deadlineExceeded() },
        // The second RESOURCE page, read after the first one's findings went out.
        { match: listing('RESOURCE', true), count: 1, fault: gcpFaults.drop() },
        { match: listing('RESOURCE', true), count: 1, fault: gcpFaults.unavailable() },
      ),
    );
    const run = await adapter(['sweep'], adapterEnv(gcp, await statePath()));
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.code, run.stderr).toBe(0);
    expect(reportLines(run.stderr)).toEqual([expect.stringMatching(sweepLine(12))]);

    const journal = gcp.requests();
    const faulted = faultedThenAnswered(journal);
    expect(faulted.map((f) => f.fault)).toEqual([
      'unavailable',
      'resourceExhausted',
      'deadlineExceeded',
      'drop',
      'unavailable',
    ]);
    expect(faulted.every((f) => f.answered && f.method === 'ListAssets')).toBe(true);
    // RetryInfo's 200 ms were waited for before the quota-refused call went again.
    const quota = journal.findIndex((e) => e.fault === 'resourceExhausted');
    const again = journal.slice(quota + 1).find((e) => e.method === 'ListAssets')!;
    expect(Date.parse(again.at) - Date.parse(journal[quota]!.at)).toBeGreaterThanOrEqual(195);

    expect(digest(gcp)).toEqual(clean);
    expectWrittenOnce(journal, 'UpdateFinding', ids(clean));
    expect(gcp.sources()).toHaveLength(1);
  }, 45_000);

  it('transient SCC faults on ListSources, CreateSource, UpdateFinding and SetFindingState lose and duplicate nothing; the source is created once', async () => {
    const gcp = await standIn(SAMPLE);
    // Each attempt gets 1.5 s: a call delayed past it is applied after the client gave up.
    const env = adapterEnv(gcp, await statePath(), { DRIFT_GCP_REQUEST_TIMEOUT_MS: '1500' });
    gcp.setFaults(
      steps(
        // Alone on the connection when cut: no other call in flight is cut with it.
        { match: sccCall('ListSources'), count: 1, fault: gcpFaults.drop() },
        { match: sccCall('CreateSource'), count: 1, fault: gcpFaults.delay(2_500) },
        { match: sccCall('UpdateFinding'), count: 2, fault: gcpFaults.resourceExhausted(200) },
        { match: sccCall('UpdateFinding'), count: 1, fault: gcpFaults.unavailable() },
        { match: sccCall('UpdateFinding'), count: 1, fault: gcpFaults.deadlineExceeded() },
        { match: sccCall('UpdateFinding'), count: 1, fault: gcpFaults.delay(2_500) },
      ),
    );
    const run = await adapter(['sweep'], env);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.code, run.stderr).toBe(0);
    expect(reportLines(run.stderr)).toEqual([expect.stringMatching(sweepLine(12))]);
    // The late writes land: the CreateSource and the UpdateFinding sent again meanwhile.
    await waitFor('both late calls answered', () =>
      gcp.requests().filter((e) => e.fault === 'delay').length === 2 ? true : undefined,
    );
    expect(digest(gcp)).toEqual(clean);
    expect(gcp.sources()).toHaveLength(1);
    expect(
      gcp.requests().filter((e) => e.method === 'CreateSource' && e.status === 'OK'),
    ).toHaveLength(1);
    expectWrittenOnce(gcp.requests(), 'UpdateFinding', ids(clean));

    // Fixed: a new process finds the source through faults and resolves two findings through more.
    const start = gcp.requests().length;
    gcp.replaceAssets(toNdjson(fixedRecords()));
    gcp.setFaults(
      steps(
        { match: sccCall('ListSources'), count: 1, fault: gcpFaults.unavailable() },
        { match: sccCall('SetFindingState'), count: 1, fault: gcpFaults.unavailable() },
        {
          match: sccCall('SetFindingState'),
          count: 1,
          fault: gcpFaults.resourceExhausted(200),
        },
        { match: sccCall('SetFindingState'), count: 1, fault: gcpFaults.deadlineExceeded() },
      ),
    );
    const fixed = await adapter(['sweep'], env);
    expect(fixed.stderr).not.toMatch(STACK_FRAME);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(reportLines(fixed.stderr)).toEqual([expect.stringMatching(sweepLine(0, 2))]);
    const journal = gcp.requests().slice(start);
    const faulted = faultedThenAnswered(journal);
    expect(faulted.map((f) => f.method)).toEqual([
      'ListSources',
      'SetFindingState',
      'SetFindingState',
      'SetFindingState',
    ]);
    expect(faulted.every((f) => f.answered)).toBe(true);
    expect(digest(gcp)).toEqual(cleanFixed);
    const resolved = ids(cleanFixed.filter((f) => f.state === 'INACTIVE'));
    expectWrittenOnce(journal, 'SetFindingState', resolved);
    expectWrittenOnce(journal, 'UpdateFinding', resolved);
    expect(journal.filter((e) => e.method === 'CreateSource')).toEqual([]);
    expect(gcp.sources()).toHaveLength(1);
  }, 45_000);

  it('a Cloud Asset failure past the retries fails the parent on one line with exit 2 and resolves nothing; the next run resumes after the saved page', async () => {
    const gcp = await standIn(LARGE);
    const state = await statePath();
    const env = adapterEnv(gcp, state);
    expect((await adapter(['sweep'], env)).code).toBe(0);
    expect(digest(gcp)).toEqual(clean);
    const writes = gcp.writes();

    // Every read after the first RESOURCE page is refused, retries included.
    let firstPageRead = false;
    gcp.setFaults((call) => {
      if (call.method !== 'ListAssets') return null;
      if (firstPageRead) return gcpFaults.unavailable();
      if (listing('RESOURCE', false)(call)) firstPageRead = true;
      return null;
    });
    const start = gcp.requests().length;
    const failed = await adapter(['sweep'], env);
    expect(failed.stderr).not.toMatch(STACK_FRAME);
    expect(reportLines(failed.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^drift-detective: gcp sweep ${ORG} failed: AssetListError: listAssets RESOURCE under ${ORG} failed: UNAVAILABLE: The service is currently unavailable\\.$`,
        ),
      ),
    ]);
    expect(failed.code).toBe(2);
    // The first attempt and four retries.
    expect(
      gcp
        .requests()
        .slice(start)
        .filter((e) => e.fault === 'unavailable'),
    ).toHaveLength(5);
    // Incomplete: the findings of the pages it did not read are not resolved as deleted.
    expect(digest(gcp)).toEqual(clean);
    expect(await readStateFindings(state, { status: 'RESOLVED' })).toEqual([]);
    expect(gcp.writes()).toBe(writes);

    gcp.setFaults(() => null);
    const resumedAt = gcp.requests().length;
    const resumed = await adapter(['sweep'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(reportLines(resumed.stderr)).toEqual([expect.stringMatching(sweepLine(0))]);
    // It went on from the second RESOURCE page: the first was not read again.
    const reads = gcp
      .requests()
      .slice(resumedAt)
      .filter((e) => listing('RESOURCE')({ ...e, index: 0 }));
    expect(reads.map((e) => typeof e.request['pageToken'])).toEqual(['string']);
    expect(digest(gcp)).toEqual(clean);
    expect(gcp.writes()).toBe(writes);
    expect((await stateFindings(state)).filter((f) => f.status !== 'ACTIVE')).toEqual([]);
  }, 60_000);

  it('a refusal for good (PERMISSION_DENIED on one finding) is counted and kept pending, never blocks the others; the next run sends it', async () => {
    const gcp = await standIn(LARGE);
    const state = await statePath();
    const metricsPort = await freePort();
    const env = adapterEnv(gcp, state, { DRIFT_METRICS_PORT: String(metricsPort) });
    const refused = clean.find(
      (f) => f.resourceName === PUBLIC_BUCKET && f.category === PUBLIC_RULE,
    )!.id;
    let held = false;
    gcp.setFaults(
      steps(
        {
          // IAM refuses the one finding, as a deny policy on it would.
          match: (call) =>
            call.method === 'UpdateFinding' &&
            (call.request['finding'] as { name?: string }).name?.endsWith(
              `/findings/${refused}`,
            ) === true,
          fault: gcpFaults.permissionDenied(),
        },
        // The second RESOURCE page waits: the first page is published, the process still up.
        {
          match: listing('RESOURCE', true),
          count: 1,
          fault: gcpFaults.delay(3_000),
          onFault: () => void (held = true),
        },
      ),
    );
    const run = startAdapter(['sweep'], env);
    await waitFor('the first page published', () => (held ? true : undefined));
    const scrape = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scrape).toMatch(/^drift_errors_total\{kind="publish_rejected"\} 1$/m);
    const { code } = await run.exited;
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    expect(code, run.stderr()).toBe(0);
    expect(reportLines(run.stderr())).toEqual([expect.stringMatching(sweepLine(12))]);
    expect(run.stderr()).toContain(`"findingId":"${refused}"`);

    // Every other finding went out, once; the refused one is pending in the state.
    expect(digest(gcp)).toEqual(clean.filter((f) => f.id !== refused));
    expect((await readStateFindings(state, { unpublished: true })).map((f) => f.id)).toEqual([
      refused,
    ]);
    expectWrittenOnce(
      gcp.requests().filter((e) => e.status !== 'PERMISSION_DENIED'),
      'UpdateFinding',
      ids(clean).filter((id) => id !== refused),
    );
    // Tried once only: a refusal for good is not retried.
    expect(
      gcp
        .requests()
        .filter((e) => e.status === 'PERMISSION_DENIED')
        .map(findingOf),
    ).toEqual([refused]);

    gcp.setFaults(() => null);
    const start = gcp.requests().length;
    const next = await adapter(['sweep'], env);
    expect(next.code, next.stderr).toBe(0);
    expect(await readStateFindings(state, { unpublished: true })).toEqual([]);
    expect(digest(gcp)).toEqual(clean);
    // Only the pending one is written.
    expectWrittenOnce(gcp.requests().slice(start), 'UpdateFinding', [refused]);
  }, 45_000);

  it('SIGTERM in the middle of a sweep: exit 2 with one line and no stack; the next run resumes and completes', async () => {
    const gcp = await standIn(LARGE);
    const state = await statePath();
    const env = adapterEnv(gcp, state);
    let held = false;
    gcp.setFaults(
      steps({
        match: listing('RESOURCE', true),
        count: 1,
        fault: gcpFaults.delay(5_000),
        onFault: () => void (held = true),
      }),
    );
    const run = startAdapter(['sweep'], env);
    await waitFor('the second RESOURCE page asked for', () => (held ? true : undefined));
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    // It stops at once, without waiting for the answer of the call in flight…
    await waitFor('the stopped line', () =>
      run.stderr().includes(' stopped by ') ? true : undefined,
    );
    expect(Date.now() - signalled).toBeLessThan(2_000);
    // …and the process ends without waiting for that call either: the stop cancels it
    // (a call left open would hold the process past Cloud Run's 10-second grace period).
    const { code, at } = await run.exited;
    expect(at - signalled).toBeLessThan(3_000);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    expect(code, run.stderr()).toBe(2);
    expect(reportLines(run.stderr())).toEqual([
      'gcp sweep stopped by SIGTERM: incomplete, nothing resolved as deleted; the next run resumes after the last saved page',
    ]);
    // The first page's findings went out; nothing was resolved.
    const firstPage = digest(gcp);
    expect(firstPage.length).toBeGreaterThan(0);
    expect(firstPage.length).toBeLessThan(12);
    expect(firstPage.every((f) => f.state === 'ACTIVE')).toBe(true);

    gcp.setFaults(() => null);
    const resumedAt = gcp.requests().length;
    const resumed = await adapter(['sweep'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(reportLines(resumed.stderr)).toEqual([
      expect.stringMatching(sweepLine(12 - firstPage.length)),
    ]);
    const reads = gcp
      .requests()
      .slice(resumedAt)
      // (The stopped run's late answer may land meanwhile.)
      .filter((e) => e.fault === undefined && listing('RESOURCE')({ ...e, index: 0 }));
    expect(reads.map((e) => typeof e.request['pageToken'])).toEqual(['string']);
    expect(digest(gcp)).toEqual(clean);
    // Across both runs, each finding written once (the late answer to the stopped run aside).
    expectWrittenOnce(gcp.requests(), 'UpdateFinding', ids(clean));
  }, 45_000);
});
