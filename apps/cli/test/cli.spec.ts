import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGcpStandIn } from '@drift-detective/testing';
import { describe, expect, it } from 'vitest';
import { blockPublicAccessMessages, cli, tempFile, workspaceRoot } from './cli-process.js';

const samples = path.join(workspaceRoot, 'samples', 'normalized');

describe('drift-detective evaluate', () => {
  it('prints the four Block Public Access messages for the public sample bucket and nothing for the compliant one', async () => {
    const result = await cli(['evaluate', path.join(samples, 'aws-s3-buckets.json')]);
    expect(result.code).toBe(0);
    for (const message of blockPublicAccessMessages('acme-reports-open')) {
      expect(result.stdout).toContain(message);
    }
    expect(result.stdout).not.toContain('acme-reports-locked');
    expect(result.stdout).toContain('1 finding(s) (HIGH 1) on 1 of 2 resource(s)');
  });

  it('emits JSON with the enriched violations', async () => {
    const result = await cli([
      'evaluate',
      '--format',
      'json',
      path.join(samples, 'aws-s3-buckets.json'),
    ]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.summary).toMatchObject({ resources: 2, findings: 1, bySeverity: { HIGH: 1 } });
    expect(output.results[0].violations[0]).toMatchObject({
      ruleId: 'DD-STORAGE-001',
      severity: 'HIGH',
    });
    expect(output.results[1].violations).toEqual([]);
  });

  it('reads NDJSON and names the file and line of a malformed record', async () => {
    const file = await tempFile(
      'items.ndjson',
      '{"provider":"aws","kind":"other","id":"x"}\n{not json}\n',
    );
    const result = await cli(['evaluate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:2: not JSON`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports a record that is not a resource as an error and still evaluates the rest', async () => {
    const file = await tempFile(
      'mixed.json',
      JSON.stringify([
        { kind: 'storage.bucket' },
        { provider: 'aws', kind: 'other', id: 'arn:aws:x' },
      ]),
    );
    const result = await cli(['evaluate', '--format', 'json', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}[0]: Cannot evaluate resource: field 'provider' must be a non-empty string`,
    );
    expect(JSON.parse(result.stdout).summary.resources).toBe(1);
  });

  it('says how to build the bundle when there is none', async () => {
    const result = await cli(['evaluate', path.join(samples, 'aws-s3-buckets.json')], {
      env: { DRIFT_POLICY_BUNDLE: '/nonexistent/policies' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Policy bundle not found at /nonexistent/policies');
    expect(result.stderr).toContain('nx run policies:build');
  });

  it('rejects unknown options and formats as usage errors', async () => {
    expect((await cli(['evaluate', '--bogus'])).code).toBe(2);
    const result = await cli(['evaluate', '--format', 'xml', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--format must be text or json, not 'xml'");
  });
});

describe('--help', () => {
  it.each([
    [['--help'], /^Usage: drift-detective <command>/],
    [['scan', '--help'], /^Usage: drift-detective scan --input/],
    [['normalize', '-h'], /^Usage: drift-detective normalize/],
    [['evaluate', '--help'], /^Usage: drift-detective evaluate/],
    [['rules', '--help'], /^Usage: drift-detective rules/],
    [['findings', '--help'], /^Usage: drift-detective findings list/],
    [['findings', 'list', '--help'], /^Usage: drift-detective findings list/],
    [['waivers', 'check', '--help'], /^Usage: drift-detective waivers check/],
    [['aws', '--help'], /^Usage: drift-detective aws sweep\|worker/],
    [['aws', 'worker', '--help'], /^Usage: drift-detective aws sweep\|worker/],
    [['azure', '--help'], /^Usage: drift-detective azure sweep\|serve/],
    [['gcp', '--help'], /^Usage: drift-detective gcp sweep\|serve/],
    [['gcp', 'serve', '--help'], /^Usage: drift-detective gcp sweep\|serve/],
  ])('%j prints its own usage, exit 0', async (args, usage) => {
    const result = await cli(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(usage);
    expect(result.stderr).toBe('');
  });
});

describe('the runtime', () => {
  it('prints no runtime warning, with the SQLite state in use', async () => {
    const state = path.join(await mkdtemp(path.join(tmpdir(), 'drift-runtime-')), 'state.db');
    const result = await cli([
      'scan',
      '--format',
      'json',
      '--input',
      path.join(workspaceRoot, 'samples', 'aws'),
      '--state',
      state,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary.findings).toBeGreaterThan(0);
    expect(result.stderr).toBe('');
  });
});

describe('drift-detective aws', () => {
  // The AWS adapter's own process (apps/aws-adapter) runs these end to end against moto;
  // here: the CLI hands `aws …` to the same command.
  it('hands aws sweep|worker to the AWS adapter command, with its settings in the help', async () => {
    const help = await cli(['aws', 'sweep', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: drift-detective aws sweep\|worker/);
    expect(help.stdout).toContain('--queue-url URL');
    expect(help.stdout).toContain('$DRIFT_AWS_HOME_REGION');
  });

  it('names a missing or unknown subcommand and a bad setting in one line, exit 2', async () => {
    const unknown = await cli(['aws', 'sweeep']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "drift-detective: aws takes sweep or worker, not 'sweeep'\nRun drift-detective --help for usage.\n",
    );
    const bad = await cli(['aws', 'worker', '--concurrency', 'lots'], {
      env: { AWS_REGION: 'eu-west-1' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency must be a whole number of at least 1, not 'lots'/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('drift-detective gcp', () => {
  // The GCP adapter's own process (apps/gcp-adapter) runs these end to end; here: the CLI
  // hands `gcp …` to the same command, which reads the stand-in and prints a dry run.
  it('sweeps the stand-in with --dry-run: the findings as JSON lines, nothing sent to SCC', async () => {
    const seed = await readFile(
      path.join(workspaceRoot, 'samples', 'gcp', 'cloud-asset-export.ndjson'),
      'utf8',
    );
    const standIn = await startGcpStandIn({ seed });
    try {
      const dir = await mkdtemp(path.join(tmpdir(), 'drift-cli-gcp-'));
      const result = await cli(['gcp', 'sweep', '--dry-run', '--state', path.join(dir, 's.db')], {
        env: { ...standIn.env, LOG_LEVEL: 'warn' },
      });
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { ruleId: string });
      expect(lines).toHaveLength(12);
      expect(lines.map((f) => f.ruleId)).toContain('DD-STORAGE-002');
      expect(result.stderr).toMatch(/^gcp sweep organizations\/671234098812: 18 resources/m);
      expect(standIn.writes()).toBe(0);
    } finally {
      await standIn.close();
    }
  });

  it('names an unknown subcommand in one line, exit 2', async () => {
    const unknown = await cli(['gcp', 'sweeep']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "drift-detective: gcp takes sweep or serve, not 'sweeep'\nRun drift-detective --help for usage.\n",
    );
  });
});
