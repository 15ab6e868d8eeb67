// `--state postgresql://…`: the same findings over time as a SQLite file, in a
// database many runs share (a real PostgreSQL, started by the test).
import path from 'node:path';
import { startPostgres, type PostgresServer } from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, workspaceRoot } from './cli-process.js';

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
});
