// `drift-detective-azure sweep` as users run it: the built process, every call
// through the real SDK clients and DefaultAzureCredential (the managed identity)
// to the HTTPS stand-in, findings asserted in the stand-in's Defender for Cloud.
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assessmentName } from '@drift-detective/provider-azure';
import { azureFaults, startAzureStandIn, type AzureStandIn } from '@drift-detective/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adapter,
  assessmentDigest,
  assessmentsOn,
  changed,
  faultSteps,
  freePort,
  guardrailOn,
  inSubscription,
  isSecurityWrite,
  journalSince,
  narrowed,
  operationIs,
  RDP_OPEN,
  RDP_TWIN,
  reportLines,
  resourceId,
  rowNamed,
  sampleRows,
  seedRows,
  STACK_FRAME,
  startAdapter,
  stateFindings,
  SUBSCRIPTION,
  sweepEnv,
  WARNING_BANNER,
  waitFor,
  type Row,
} from './process-support.js';

const standIns: AzureStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
});

async function standIn(options: Parameters<typeof startAzureStandIn>[0]): Promise<AzureStandIn> {
  const started = await startAzureStandIn(options);
  standIns.push(started);
  return started;
}

const stateFile = async (): Promise<string> =>
  path.join(await mkdtemp(path.join(tmpdir(), 'drift-azure-sweep-')), 'state.db');

/** The line a completed subscription sweep ends with. */
function sweptLine(
  subscription: string,
  f: { deleted?: number; opened: number; resolved: number; reopened?: number },
) {
  return new RegExp(
    `^azure sweep ${subscription}: \\d+ resources in \\d+ pages, ${f.deleted ?? 0} resolved as deleted; ` +
      `findings: ${f.opened} opened, 0 updated, ${f.resolved} resolved, ${f.reopened ?? 0} reopened; 0 records skipped$`,
  );
}

/** The design's finding identity: sha256(provider | account | resource id | rule id), 32 hex. */
const findingIdOf = (resource: string, ruleId: string): string =>
  createHash('sha256')
    .update(['azure', SUBSCRIPTION, resource, ruleId].join('|'))
    .digest('hex')
    .slice(0, 32);

const assessmentIdOf = (resource: string, ruleId: string): string =>
  `${resource}/providers/Microsoft.Security/assessments/${assessmentName(ruleId)}`.toLowerCase();

describe('drift-detective-azure sweep', () => {
  it('opens each violation once as an Unhealthy assessment, marks the fix Healthy, stays silent when nothing changed, reopens with the attributed change, deletes the assessment of a deleted resource', async () => {
    let rows = seedRows();
    const azure = await standIn({ seed: rows });
    const env = sweepEnv(azure, await stateFile());
    const storage = resourceId('ddstor001public', rows);
    const rdp = resourceId(RDP_OPEN, rows);

    // 1. The first sweep: one finding per violation, the compliant twins clean.
    const first = await adapter(['sweep'], env);
    expect(first.code).toBe(0);
    expect(reportLines(first.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 12, resolved: 0 })),
    ]);
    expect(azure.assessments()).toHaveLength(12);
    // Credentials never reach a log: not the managed identity's secret, not a bearer token.
    expect(first.stderr).not.toContain(String(env['IDENTITY_HEADER']));
    expect(first.stderr).not.toMatch(/eyJ[\w-]+\.eyJ/);
    const [open] = assessmentsOn(azure, 'ddstor001public');
    expect(assessmentsOn(azure, 'ddstor001public')).toHaveLength(1);
    expect(open!.id.toLowerCase()).toBe(assessmentIdOf(storage, 'DD-STORAGE-001'));
    expect(open!.properties.status).toMatchObject({ code: 'Unhealthy', cause: 'DD-STORAGE-001' });
    expect(open!.properties.additionalData).toMatchObject({
      ruleId: 'DD-STORAGE-001',
      findingId: findingIdOf(storage, 'DD-STORAGE-001'),
      severity: 'HIGH',
    });
    const [rdpOpen] = assessmentsOn(azure, RDP_OPEN);
    expect(assessmentsOn(azure, RDP_OPEN)).toHaveLength(1);
    expect(rdpOpen!.id.toLowerCase()).toBe(assessmentIdOf(rdp, 'DD-NET-001'));
    expect(rdpOpen!.properties.status).toMatchObject({
      code: 'Unhealthy',
      cause: 'DD-NET-001',
      description: expect.stringMatching(/exposes administrative port\(s\) 3389 to the internet/),
    });
    expect(rdpOpen!.properties.additionalData).toMatchObject({
      ruleId: 'DD-NET-001',
      findingId: findingIdOf(rdp, 'DD-NET-001'),
      severity: 'HIGH',
    });
    for (const twin of [
      'ddstor001private',
      RDP_TWIN,
      'ddnet001-deny-first',
      'ddnet002-vnet-only',
    ]) {
      expect(assessmentsOn(azure, twin), twin).toEqual([]);
    }
    // Defender has no Critical: the metadata says High, the assessment keeps the real severity.
    const [anyAny] = assessmentsOn(azure, 'ddnet002-any-any').filter(
      (a) => a.properties.additionalData?.['ruleId'] === 'DD-NET-002',
    );
    expect(anyAny!.properties.additionalData?.['severity']).toBe('CRITICAL');

    // One metadata per rule fired, named by the rule id's UUID v5, customer-managed.
    const fired = [
      ...new Set(azure.assessments().map((a) => a.properties.additionalData?.['ruleId'])),
    ];
    const metadata = azure.metadata() as {
      id: string;
      name: string;
      properties: Record<string, unknown>;
    }[];
    expect(metadata.map((m) => m.name).sort()).toEqual(fired.map((r) => assessmentName(r!)).sort());
    for (const m of metadata) {
      const ruleId = fired.find((r) => assessmentName(r!) === m.name)!;
      expect(m.id).toBe(
        `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Security/assessmentMetadata/${m.name}`,
      );
      expect(m.properties).toMatchObject({
        assessmentType: 'CustomerManaged',
        displayName: expect.stringMatching(new RegExp(`^${ruleId} `)),
      });
      if (ruleId === 'DD-NET-002') expect(m.properties['severity']).toBe('High');
    }
    // Every request the adapter sent, and every answer, matched Microsoft's contracts.
    const problems = azure.requests().filter((e) => !e.requestValid || !e.answerValid);
    expect(problems).toEqual([]);
    const opened = assessmentDigest(azure);
    const openedMetadata = structuredClone(metadata);

    // 2. The fix, by alice: the same two assessments turn Healthy; nothing new.
    rows = changed(changed(rows, 'ddstor001public', guardrailOn), RDP_OPEN, narrowed);
    azure.replaceResources(rows, { changedBy: 'alice@contoso.com' });
    const second = await adapter(['sweep'], env);
    expect(second.code).toBe(0);
    expect(reportLines(second.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 0, resolved: 2 })),
    ]);
    const fixedIds = [assessmentIdOf(storage, 'DD-STORAGE-001'), assessmentIdOf(rdp, 'DD-NET-001')];
    expect(assessmentDigest(azure)).toEqual(
      opened.map((a) => (fixedIds.includes(a.id) ? { ...a, code: 'Healthy' } : a)),
    );
    for (const name of ['ddstor001public', RDP_OPEN]) {
      const [healthy] = assessmentsOn(azure, name);
      expect(healthy!.properties.status.code).toBe('Healthy');
      expect(healthy!.properties.additionalData).toMatchObject({ resolution: 'compliant' });
    }
    expect(azure.metadata()).toEqual(openedMetadata);

    // 3. Nothing changed: no call to Defender for Cloud at all, not even a read.
    const writes = azure.writes();
    const before = azure.requests().length;
    const settled = assessmentDigest(azure);
    const third = await adapter(['sweep'], env);
    expect(third.code).toBe(0);
    expect(reportLines(third.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 0, resolved: 0 })),
    ]);
    expect(azure.writes()).toBe(writes);
    expect(
      journalSince(azure, before).filter((e) =>
        e.path.toLowerCase().includes('microsoft.security'),
      ),
    ).toEqual([]);
    expect(assessmentDigest(azure)).toEqual(settled);
    expect(azure.metadata()).toEqual(openedMetadata);

    // 4. A regression, by mallory from the CLI: the same assessment, Unhealthy again, says who and what.
    rows = changed(rows, 'ddstor001public', (row) => {
      (row['properties'] as Record<string, unknown>)['allowBlobPublicAccess'] = true;
    });
    azure.replaceResources(rows, { changedBy: 'mallory@contoso.com', clientType: 'Azure CLI' });
    const fourth = await adapter(['sweep'], env);
    expect(fourth.code).toBe(0);
    expect(reportLines(fourth.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 0, resolved: 0, reopened: 1 })),
    ]);
    const [reopened] = assessmentsOn(azure, 'ddstor001public');
    expect(reopened!.id).toBe(open!.id);
    expect(reopened!.properties.status).toMatchObject({
      code: 'Unhealthy',
      cause: 'DD-STORAGE-001',
    });
    expect(reopened!.properties.additionalData).toMatchObject({
      findingId: findingIdOf(storage, 'DD-STORAGE-001'),
      changedBy: 'mallory@contoso.com (Azure CLI, Microsoft.Storage/storageAccounts/write)',
      changeType: 'update',
      changedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      changedFields: 'properties.allowBlobPublicAccess: false → true',
    });
    expect(azure.assessments()).toHaveLength(12);

    // 5. A deleted resource: its assessment is deleted, not marked Healthy.
    const ssh = resourceId('ddnet001-open-ssh', rows);
    rows = rows.filter((row) => row.name !== 'ddnet001-open-ssh');
    azure.replaceResources(rows);
    const sinceDelete = azure.requests().length;
    const fifth = await adapter(['sweep'], env);
    expect(fifth.code).toBe(0);
    expect(reportLines(fifth.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { deleted: 1, opened: 0, resolved: 1 })),
    ]);
    expect(assessmentsOn(azure, 'ddnet001-open-ssh')).toEqual([]);
    expect(azure.assessments()).toHaveLength(11);
    const deletes = journalSince(azure, sinceDelete).filter((e) => e.method === 'DELETE');
    expect(deletes).toMatchObject([
      { operation: 'Assessments_Delete', status: 200, path: expect.stringContaining(ssh) },
    ]);
    expect(azure.requests().filter((e) => !e.requestValid || !e.answerValid)).toEqual([]);
  }, 60_000);

  it('sweeps each subscription of a management group; an unreadable one fails on its own line, the other is still swept, and its open findings stay open', async () => {
    const SUB_B = '00000000-1111-2222-3333-555555555555';
    const sample = sampleRows();
    const inB: Row[] = ['ddstor001public', 'ddnet001-open-ssh'].map((name) =>
      inSubscription(rowNamed(sample, name), SUB_B),
    );
    const statePath = await stateFile();
    const readable = await standIn({
      seed: [...sample, ...inB],
      managementGroups: { 'drift-mg': [SUBSCRIPTION, SUB_B] },
    });
    const all = await adapter(
      ['sweep', '--management-group', 'drift-mg'],
      sweepEnv(readable, statePath, { DRIFT_AZURE_SUBSCRIPTIONS: undefined }),
    );
    expect(all.code).toBe(0);
    expect(reportLines(all.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 11, resolved: 0 })),
      expect.stringMatching(sweptLine(SUB_B, { opened: 2, resolved: 0 })),
    ]);
    const ofB = (a: { id: string }) => a.id.includes(`/subscriptions/${SUB_B}/`);
    expect(readable.assessments().filter(ofB)).toHaveLength(2);
    // Metadata lives per subscription: B has its own for the two rules it fired.
    expect((readable.metadata() as { id: string }[]).filter(ofB)).toHaveLength(2);
    const openInB = async () =>
      (await stateFindings(statePath)).filter((f) => f.account === SUB_B && f.status === 'ACTIVE');
    expect(await openInB()).toHaveLength(2);

    // B can no longer be read, and its resources are gone from what A could see: read as
    // empty, B's findings would resolve as deleted. They must not.
    const refused = await standIn({ seed: sample, unreadableSubscriptions: [SUB_B] });
    const partial = await adapter(
      ['sweep'],
      sweepEnv(refused, statePath, { DRIFT_AZURE_SUBSCRIPTIONS: `${SUBSCRIPTION},${SUB_B}` }),
    );
    expect(partial.code).toBe(2);
    expect(partial.stderr).not.toMatch(STACK_FRAME);
    expect(reportLines(partial.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 0, resolved: 0 })),
      expect.stringMatching(
        new RegExp(
          `^drift-detective: azure sweep ${SUB_B} failed: .*\\b403\\b.*AuthorizationFailed`,
        ),
      ),
    ]);
    expect(await openInB()).toHaveLength(2);
    expect(refused.requests().filter((e) => isSecurityWrite(e))).toEqual([]);

    // Through the management group, Resource Graph leaves the unreadable subscription out of
    // the group's answer (allowPartialScopes): only A is swept, B is named, its findings stay.
    const partialGroup = await standIn({
      seed: sample,
      managementGroups: { 'drift-mg': [SUBSCRIPTION, SUB_B] },
      unreadableSubscriptions: [SUB_B],
    });
    const grouped = await adapter(
      ['sweep', '--management-group', 'drift-mg'],
      sweepEnv(partialGroup, statePath, { DRIFT_AZURE_SUBSCRIPTIONS: undefined }),
    );
    expect(grouped.code).toBe(0);
    expect(reportLines(grouped.stderr)).toEqual([
      expect.stringMatching(sweptLine(SUBSCRIPTION, { opened: 0, resolved: 0 })),
    ]);
    const warning = grouped.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; unlisted?: Record<string, number> })
      .find((entry) => entry.unlisted !== undefined);
    expect(warning?.unlisted).toEqual({ [SUB_B]: 2 });
    expect(warning?.msg).toMatch(/did not list .* not swept: their findings are left as they are/);
    expect(await openInB()).toHaveLength(2);
  }, 60_000);

  it('stops on SIGTERM mid-sweep with exit 2, resolving nothing; the next run resumes after the saved page and completes', async () => {
    let rows = seedRows();
    const azure = await standIn({ seed: rows });
    const statePath = await stateFile();
    const env = sweepEnv(azure, statePath);
    expect((await adapter(['sweep'], env)).code).toBe(0);
    const ssh = resourceId('ddnet001-open-ssh', rows);
    // Gone: a completed sweep would resolve its finding as deleted.
    rows = rows.filter((row) => row.name !== 'ddnet001-open-ssh');
    azure.replaceResources(rows);

    // The second query of the run (role definitions, after the resources page is saved) hangs.
    let held = false;
    azure.setFaults(
      faultSteps({
        match: operationIs('Resources'),
        from: 2,
        fault: azureFaults.delay(30_000),
        onFault: () => (held = true),
      }),
    );
    const before = azure.requests().length;
    const run = startAdapter(['sweep'], env);
    await waitFor('the held query', () => (held ? true : undefined));
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(2);
    expect(run.stderr()).not.toMatch(STACK_FRAME);
    expect(reportLines(run.stderr())).toEqual([
      expect.stringMatching(
        /^azure sweep stopped by SIGTERM: incomplete, nothing resolved as deleted; the next run resumes after the last saved page$/,
      ),
    ]);
    expect(journalSince(azure, before).filter((e) => e.method === 'DELETE')).toEqual([]);
    expect(assessmentsOn(azure, 'ddnet001-open-ssh')).toHaveLength(1);
    expect(
      (await stateFindings(statePath)).filter((f) => f.resourceId === ssh).map((f) => f.status),
    ).toEqual(['ACTIVE']);

    // The next run reads on from the saved page: role definitions only, no resources page
    // (no child reads), then resolves what it never saw.
    azure.setFaults(() => null);
    const resumedFrom = azure.requests().length;
    const resumed = await adapter(['sweep'], env);
    expect(resumed.code).toBe(0);
    expect(reportLines(resumed.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^azure sweep ${SUBSCRIPTION}: \\d+ resources in 1 pages, 1 resolved as deleted; findings: 0 opened, 0 updated, 1 resolved, 0 reopened; 0 records skipped$`,
        ),
      ),
    ]);
    const resumedJournal = journalSince(azure, resumedFrom);
    expect(resumedJournal.filter((e) => e.operation === 'ResourceList')).toEqual([]);
    expect(resumedJournal.filter((e) => e.method === 'DELETE')).toMatchObject([
      { operation: 'Assessments_Delete', status: 200, path: expect.stringContaining(ssh) },
    ]);
    expect(assessmentsOn(azure, 'ddnet001-open-ssh')).toEqual([]);
  }, 60_000);

  it('refuses bad settings and a missing credential with exit 2 and one line, before any call', async () => {
    const azure = await standIn({ seed: seedRows() });
    const statePath = await stateFile();
    const cases: [string, string[], Record<string, string | undefined>, RegExp][] = [
      [
        'no subscriptions',
        ['sweep'],
        { DRIFT_AZURE_SUBSCRIPTIONS: undefined },
        /azure sweep needs subscriptions \(--subscriptions, DRIFT_AZURE_SUBSCRIPTIONS\) or a management group/,
      ],
      [
        'a subscription that is no GUID',
        ['sweep', '--subscriptions', 'production'],
        {},
        /subscription 'production' is not a subscription id \(a GUID\)/,
      ],
      [
        'an unknown resource type',
        ['sweep', '--resource-types', 'Microsoft.Storage/storageAccounts,Microsoft.Foo/bars'],
        {},
        /--resource-types: cannot sweep Microsoft\.Foo\/bars/,
      ],
      [
        'a plain-HTTP endpoint',
        ['sweep', '--resource-manager-endpoint', azure.endpoint.replace('https:', 'http:')],
        {},
        /resource manager endpoint http:\/\/127\.0\.0\.1:\d+ must be https/,
      ],
    ];
    for (const [what, args, extra, expected] of cases) {
      const before = azure.requests().length;
      const run = await adapter(args, sweepEnv(azure, statePath, extra));
      expect(run.code, what).toBe(2);
      expect(run.stderr, what).not.toMatch(STACK_FRAME);
      expect(run.stderr, what).not.toMatch(WARNING_BANNER);
      // The failure on one line, then the pointer to the usage every settings mistake gets.
      expect(reportLines(run.stderr), what).toEqual([
        expect.stringMatching(new RegExp(`^drift-detective: ${expected.source}`)),
        'Run drift-detective-azure --help for usage.',
      ]);
      expect(journalSince(azure, before), what).toEqual([]);
    }

    // No managed identity anywhere, and the chain kept on it: nothing to sign calls with. The
    // instance metadata endpoint is a closed local port, so no machine's own identity answers.
    const before = azure.requests().length;
    const run = await adapter(
      ['sweep'],
      sweepEnv(azure, statePath, {
        IDENTITY_ENDPOINT: undefined,
        IDENTITY_HEADER: undefined,
        AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
        AZURE_POD_IDENTITY_AUTHORITY_HOST: `http://127.0.0.1:${await freePort()}`,
      }),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const said = reportLines(run.stderr);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      new RegExp(`^drift-detective: azure sweep ${SUBSCRIPTION} failed: AzureCredentialError: `),
    );
    expect(journalSince(azure, before)).toEqual([]);
    expect(azure.assessments()).toEqual([]);
  }, 60_000);

  it('--dry-run prints each finding as a JSON line and writes nothing to Defender for Cloud', async () => {
    const rows = seedRows();
    const azure = await standIn({ seed: rows });
    const run = await adapter(['sweep', '--dry-run'], sweepEnv(azure, await stateFile()));
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    const findings = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(findings).toHaveLength(12);
    expect(findings).toContainEqual(
      expect.objectContaining({
        provider: 'azure',
        account: SUBSCRIPTION,
        ruleId: 'DD-NET-001',
        status: 'ACTIVE',
        transition: 'new',
        severity: 'HIGH',
        resourceId: resourceId(RDP_OPEN, rows),
        id: findingIdOf(resourceId(RDP_OPEN, rows), 'DD-NET-001'),
      }),
    );
    expect(azure.writes()).toBe(0);
    expect(
      azure.requests().filter((e) => e.path.toLowerCase().includes('microsoft.security')),
    ).toEqual([]);
    expect(azure.assessments()).toEqual([]);
    expect(azure.metadata()).toEqual([]);
  }, 30_000);
});
