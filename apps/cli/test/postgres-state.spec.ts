// `--state postgresql://…`: the same findings over time as a SQLite file, in a
// database many runs share (a real PostgreSQL, started by the test).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PostgresStateStore, type FindingRecord } from '@drift-detective/findings';
import { runSweep } from '@drift-detective/pipeline';
import { awsInventory } from '@drift-detective/provider-aws/cli';
import { builtPolicyEngine, startPostgres, type PostgresServer } from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, securityGroupItems, securityGroups, workspaceRoot } from './cli-process.js';

interface Report {
  findings: { id: string; transition?: string; status: string }[];
}

const samples = ['aws', 'azure', 'gcp'].flatMap((cloud) => [
  '--input',
  path.join(workspaceRoot, 'samples', cloud),
]);

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const transitions = (report: Report) => [...new Set(report.findings.map((f) => f.transition))];

describe('scan --state postgresql://', () => {
  it('over the samples twice: every finding new, then every one unchanged; findings list reads them back', async () => {
    const state = await postgres.createDatabase();
    const scan = () => cli(['scan', '--format', 'json', ...samples, '--state', state]);
    const first = await scan();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const opened = JSON.parse(first.stdout) as Report;
    expect(opened.findings.length).toBeGreaterThan(40);
    expect(transitions(opened)).toEqual(['new']);

    const second = await scan();
    expect(second.code).toBe(first.code);
    const again = JSON.parse(second.stdout) as Report;
    expect(again.findings.map((f) => f.id).sort()).toEqual(opened.findings.map((f) => f.id).sort());
    expect(transitions(again)).toEqual(['unchanged']);

    const listed = await cli(['findings', 'list', '--state', state, '--format', 'json']);
    expect(listed.code).toBe(0);
    const stored = (JSON.parse(listed.stdout) as { findings: { id: string }[] }).findings;
    expect(stored.map((f) => f.id).sort()).toEqual(opened.findings.map((f) => f.id).sort());
  }, 120_000);

  it('says in one line, exit 2, which state cannot be reached — without its password', async () => {
    const unreachable = `postgresql://drift:s3cret@127.0.0.1:${postgres.port + 1}/nowhere`;
    const run = await cli(['scan', ...samples, '--state', unreachable]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^drift-detective: state postgresql:\/\/drift@127\.0\.0\.1:\d+\/nowhere cannot be opened: .*ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain('s3cret');
    expect(run.stdout).toBe('');
  });

  it('two scans and a sweep at once on one state: every transition reported once, none twice, none lost', async () => {
    const state = await postgres.createDatabase();
    const engine = await builtPolicyEngine();
    // Enough resources for the runs to overlap batch by batch.
    const items = await securityGroupItems(3000);
    const input = await securityGroups(await mkdtemp(path.join(tmpdir(), 'drift-pg-scans-')), 3000);
    const store = await PostgresStateStore.open(state, { command: 'drift-detective test sweep' });
    const published: FindingRecord[] = [];
    const sweep = async () => {
      try {
        // The same items as the scans read, 100 a page, a page every 20 ms: it runs while they do.
        return await runSweep(
          async function* () {
            for (let start = 0; start < items.length; start += 100) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              yield {
                cursor: String(start),
                documents: [{ configurationItems: items.slice(start, start + 100) }],
              };
            }
          },
          {
            inventory: awsInventory,
            engine,
            store,
            publisher: { publish: async (batch) => void published.push(...batch) },
          },
          {
            sweepId: 'aws-groups',
            scope: { provider: 'aws', accounts: null, regions: null, kinds: null },
          },
        );
      } finally {
        await store.close();
      }
    };
    const scan = () => cli(['scan', '--format', 'json', '--input', input, '--state', state]);
    const [first, second, swept] = await Promise.all([scan(), scan(), sweep()]);
    expect(swept.completed).toBe(true);
    const reports = [first, second].map((run) => {
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as Report).findings;
    });
    // Each finding's `new`: once, in one scan's report or the sweep's hub.
    const news = new Map<string, number>();
    const count = (id: string) => news.set(id, (news.get(id) ?? 0) + 1);
    for (const f of reports.flat()) if (f.transition === 'new') count(f.id);
    for (const f of published) if (f.pendingTransition === 'new') count(f.id);
    expect(news.size).toBe(3000);
    expect([...news.values()].filter((n) => n !== 1)).toEqual([]);
    // Each run reported every finding, the others' as unchanged.
    for (const report of reports) {
      expect(report).toHaveLength(3000);
      expect(report.every((f) => f.transition === 'new' || f.transition === 'unchanged')).toBe(
        true,
      );
    }
    const listed = await cli(['findings', 'list', '--state', state, '--format', 'json']);
    const stored = (JSON.parse(listed.stdout) as { findings: FindingRecord[] }).findings;
    expect(stored).toHaveLength(3000);
    expect(stored.filter((f) => f.pendingTransition !== null)).toEqual([]);
  }, 180_000);
});
