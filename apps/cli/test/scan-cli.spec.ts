import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockPublicAccessMessages, cli, nativeFixture, tempFile } from './cli-process.js';

const sshOpen = nativeFixture('aws', 'dd-net-001-violating-ssh-open.json');
const sshClosed = nativeFixture('aws', 'dd-net-001-compliant-ssh-internal.json');

async function json(args: readonly string[], stdin?: string) {
  const result = await cli(
    ['scan', '--format', 'json', ...args],
    stdin === undefined ? {} : { stdin },
  );
  return { ...result, output: result.stdout ? JSON.parse(result.stdout) : undefined };
}

describe('drift-detective scan', () => {
  it('reports findings in the documented JSON shape', async () => {
    const { code, output } = await json(['--input', sshOpen]);
    expect(code).toBe(0);
    const [finding] = output.findings;
    expect(Object.keys(finding).sort()).toEqual(
      [
        'id',
        'ruleId',
        'title',
        'severity',
        'status',
        'provider',
        'account',
        'region',
        'resourceId',
        'resourceName',
        'resourceType',
        'kind',
        'message',
        'details',
        'frameworks',
        'remediation',
      ].sort(),
    );
    expect(finding).toMatchObject({
      ruleId: 'DD-NET-001',
      status: 'ACTIVE',
      provider: 'aws',
      kind: 'network.firewall',
    });
    expect(finding.id).toMatch(/^[0-9a-f]{32}$/);
    expect(finding.resourceId).toMatch(/^arn:aws:ec2:/);
    expect(Object.keys(output.summary).sort()).toEqual([
      'bySeverity',
      'evaluated',
      'findings',
      'resources',
      'skipped',
    ]);
  });

  it('exits 1 with --fail-on at or below the finding severity, 0 above it or without findings', async () => {
    expect(
      (await cli(['scan', '--format', 'json', '--fail-on', 'high', '--input', sshOpen])).code,
    ).toBe(1);
    expect(
      (await cli(['scan', '--format', 'json', '--fail-on', 'CRITICAL', '--input', sshOpen])).code,
    ).toBe(0);
    expect(
      (await cli(['scan', '--format', 'json', '--fail-on', 'LOW', '--input', sshClosed])).code,
    ).toBe(0);
  });

  it('filters rules with --rules globs and --exclude-rules', async () => {
    const only = await json(['--rules', 'DD-STORAGE-*', '--input', sshOpen]);
    expect(only.output.findings).toEqual([]);
    const excluded = await json(['--exclude-rules', 'DD-NET-001', '--input', sshOpen]);
    expect(excluded.output.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain(
      'DD-NET-001',
    );
    const unknown = await cli(['scan', '--rules', 'DD-NOPE-*', '--input', sshOpen]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no rule matches 'DD-NOPE-*'");
  });

  it('reads a folder as one inventory and stdin with -', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-folder-'));
    await mkdir(path.join(dir, 'nested'));
    await writeFile(path.join(dir, 'a.json'), await readFile(sshOpen));
    await writeFile(path.join(dir, 'nested', 'b.json'), await readFile(sshClosed));
    const folder = await json(['--input', dir]);
    expect(folder.output.summary.resources).toBe(2);
    const piped = await json(['--input', '-'], await readFile(sshOpen, 'utf8'));
    expect(piped.output.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('DD-NET-001');
  });

  it('skips one bad NDJSON line, names it, and scans the rest', async () => {
    const record = JSON.stringify(JSON.parse(await readFile(sshOpen, 'utf8')));
    const file = await tempFile('items.ndjson', `${record}\n{"broken": \n${record}\n`);
    const { code, output } = await json(['--input', file]);
    expect(code).toBe(0);
    expect(output.summary.skipped).toEqual([
      { input: `${file}:2`, reason: expect.stringMatching(/^not JSON/) },
    ]);
    expect(output.summary.findings).toBeGreaterThan(0);
  });

  it('exits 2 naming a malformed JSON file, without a stack trace', async () => {
    const file = await tempFile('snapshot.json', '{\n  "configurationItems": [\n    {"a": 1},\n');
    const result = await cli(['scan', '--input', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is not valid JSON or NDJSON`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when it cannot tell the cloud, and --provider settles it', async () => {
    const file = await tempFile('mystery.json', '{"hello": "world"}');
    const result = await cli(['scan', '--input', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'cannot tell which cloud this input comes from; pass --provider',
    );
    const forced = await json(['--provider', 'aws', '--input', file]);
    expect(forced.code).toBe(0);
    expect(forced.output.summary.skipped.length).toBe(1);
    expect(forced.output.summary.findings).toBe(0);
  });

  it('rejects bad flag values as usage errors', async () => {
    for (const args of [
      ['--provider', 'oracle', '--input', sshOpen],
      ['--format', 'xml', '--input', sshOpen],
      ['--fail-on', 'SEVERE', '--input', sshOpen],
      [],
    ]) {
      const result = await cli(['scan', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });

  it('writes SARIF 2.1.0 with one result per finding and the rules it names', async () => {
    const result = await cli(['scan', '--format', 'sarif', '--input', sshOpen]);
    const sarif = JSON.parse(result.stdout);
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.partialFingerprints.driftFindingId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('writes ASFF that BatchImportFindings accepts', async () => {
    const result = await cli(['scan', '--format', 'asff', '--input', sshOpen]);
    const [finding] = JSON.parse(result.stdout);
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      GeneratorId: 'DD-NET-001',
      Severity: { Label: 'HIGH' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Resources: [{ Type: 'AwsEc2SecurityGroup', Partition: 'aws' }],
    });
    expect(finding.ProductArn).toMatch(
      /^arn:aws:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/,
    );
    expect(finding.Compliance.RelatedRequirements).toContain(
      'CIS AWS Foundations Benchmark v3.0.0/5.2',
    );
    // The Security Hub publisher's mapping: severity also as the provider's own field.
    expect(finding.Id).toMatch(/^drift-detective\/[0-9a-f]{32}$/);
    expect(finding.FindingProviderFields).toMatchObject({ Severity: { Label: 'HIGH' } });
  });

  it('counts a Cloud Asset RESOURCE record and its IAM_POLICY record in two files as one resource', async () => {
    const records = JSON.parse(
      await readFile(
        nativeFixture('gcp', 'dd-storage-002-violating-allusers-object-viewer.json'),
        'utf8',
      ),
    ) as unknown[];
    expect(records.length).toBe(2);
    const dir = await mkdtemp(path.join(tmpdir(), 'drift-cai-'));
    await writeFile(path.join(dir, 'resource.ndjson'), `${JSON.stringify(records[0])}\n`);
    await writeFile(path.join(dir, 'iam.ndjson'), `${JSON.stringify(records[1])}\n`);
    const { output } = await json(['--input', dir]);
    expect(output.summary.resources).toBe(1);
    expect(output.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('DD-STORAGE-002');
  });
});

describe('the demo inventories', () => {
  it('show the four Block Public Access messages for the public S3 bucket and nothing for its twin', async () => {
    const samples = path.join(path.dirname(sshOpen), '..', '..', '..', '..', '..', '..', 'samples');
    const result = await cli(['scan', '--format', 'table', '--input', path.join(samples, 'aws')]);
    expect(result.code).toBe(0);
    for (const message of blockPublicAccessMessages('acme-reports-open')) {
      expect(result.stdout).toContain(message);
    }
    expect(result.stdout).not.toContain('acme-reports-locked');
  });
});

describe('large JSON documents', () => {
  const samples = path.join(path.dirname(sshOpen), '..', '..', '..', '..', '..', '..', 'samples');
  const stream = { DRIFT_STREAM_THRESHOLD_BYTES: '1' };

  it.each([
    ['an AWS Config snapshot', 'aws/config-snapshot.json'],
    ['a Resource Graph answer', 'azure/resource-graph-answer.json'],
  ])('streams the records of %s and finds what reading it whole finds', async (_label, file) => {
    const whole = await cli(['scan', '--format', 'json', '--input', path.join(samples, file)]);
    const streamed = await cli(['scan', '--format', 'json', '--input', path.join(samples, file)], {
      env: stream,
    });
    expect(streamed.code).toBe(0);
    const ids = (out: string) =>
      (JSON.parse(out).findings as { id: string }[]).map((f) => f.id).sort();
    expect(ids(streamed.stdout)).toEqual(ids(whole.stdout));
    expect(ids(whole.stdout).length).toBeGreaterThan(5);
  });

  it('exits 2 naming a streamed document that is cut short', async () => {
    const text = await readFile(path.join(samples, 'aws', 'config-snapshot.json'), 'utf8');
    const file = await tempFile('cut.json', text.slice(0, Math.floor(text.length / 2)));
    const result = await cli(['scan', '--format', 'json', '--input', file], { env: stream });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} is not valid JSON: `);
    expect(result.stderr).not.toContain('or NDJSON'); // the whole-document reader's message
  });

  it.each(['1', '2'])(
    'exits 2 naming the line of a streamed record that is not JSON (--threads %s)',
    async (threads) => {
      const snapshot = JSON.parse(
        await readFile(path.join(samples, 'aws', 'config-snapshot.json'), 'utf8'),
      ) as { configurationItems: unknown[] };
      // One item per line; the fourth (line 5, after the opening line) is broken.
      const lines = snapshot.configurationItems.map((item) => JSON.stringify(item));
      lines[3] = '{"resourceType": tru}';
      const file = await tempFile(
        'broken.json',
        `{"configurationItems": [\n${lines.join(',\n')}\n]}`,
      );
      const result = await cli(
        ['scan', '--format', 'json', '--threads', threads, '--input', file],
        { env: stream },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^drift-detective: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: a record .* at line 5\n`,
        ),
      );
      expect(result.stdout).toBe('');
    },
  );

  it('takes each streamed record on its own: one that no cloud owns is skipped by its index', async () => {
    const answer = JSON.parse(
      await readFile(path.join(samples, 'azure', 'resource-graph-answer.json'), 'utf8'),
    );
    const file = await tempFile(
      'answer.json',
      JSON.stringify({ ...answer, data: [answer.data[0], { junk: 1 }] }),
    );
    const result = await cli(['scan', '--format', 'json', '--input', file], { env: stream });
    expect(result.code).toBe(0);
    const { summary } = JSON.parse(result.stdout);
    expect(summary.skipped).toEqual([
      { input: `${file}[1]`, reason: expect.stringContaining('cannot tell which cloud') },
    ]);
    expect(summary.resources).toBe(1);
  });
});
