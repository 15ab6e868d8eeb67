// Inputs a user can get wrong: unreadable files and folders, NDJSON whose
// first line is bad or long. Each gets one line naming the path and the
// documented exit code, or is scanned record by record.
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, nativeFixture, tempFile } from './cli-process.js';

const sshOpen = nativeFixture('aws', 'dd-net-001-violating-ssh-open.json');

/** A folder an unprivileged user may enter, with a JSON file in it. */
async function inventoryFolder(): Promise<{ dir: string; record: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-perm-'));
  await chmod(dir, 0o755);
  const record = JSON.stringify(JSON.parse(await readFile(sshOpen, 'utf8')));
  await writeFile(path.join(dir, 'a.json'), record, { mode: 0o644 });
  return { dir, record };
}

function expectOneLine(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.split('\n')[0]).toMatch(/^drift-detective: cannot read /);
}

describe('unreadable inputs', () => {
  it('names a folder inside the input that cannot be read, exit 2', async () => {
    const { dir, record } = await inventoryFolder();
    const locked = path.join(dir, 'locked');
    await mkdir(locked);
    await writeFile(path.join(locked, 'b.json'), record);
    await chmod(locked, 0o000);
    const result = await cli(['scan', '--input', dir], { unprivileged: true });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`cannot read ${locked}: permission denied (EACCES)`);
  });

  it('names a file inside the input that cannot be read, exit 2', async () => {
    const { dir, record } = await inventoryFolder();
    const locked = path.join(dir, 'b.json');
    await writeFile(locked, record, { mode: 0o000 });
    const result = await cli(['scan', '--input', dir], { unprivileged: true });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`cannot read ${locked}: permission denied (EACCES)`);
  });

  it('names a file given on the command line that cannot be read, exit 2', async () => {
    const { dir } = await inventoryFolder();
    const locked = path.join(dir, 'a.json');
    await chmod(locked, 0o000);
    const result = await cli(['scan', '--input', locked], { unprivileged: true });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain(`cannot read ${locked}: permission denied (EACCES)`);
  });
});

describe('NDJSON, whatever its first line', () => {
  const scan = async (file: string) => {
    const result = await cli(['scan', '--format', 'json', '--input', file]);
    return { code: result.code, output: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
  };

  it('skips a bad first line like any other, names it, and scans the rest', async () => {
    const record = JSON.stringify(JSON.parse(await readFile(sshOpen, 'utf8')));
    for (const name of ['items.json', 'items.ndjson']) {
      const file = await tempFile(name, `{"broken": \n${record}\n${record}\n`);
      const { code, output } = await scan(file);
      expect(code).toBe(0);
      expect(output.summary.skipped).toEqual([
        { input: `${file}:1`, reason: expect.stringMatching(/^not JSON/) },
      ]);
      expect(output.summary.resources).toBe(1); // one resource, twice
      expect(output.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('DD-NET-001');
    }
  });

  it('reads a first line longer than a mebibyte as one record among others', async () => {
    const item = JSON.parse(await readFile(sshOpen, 'utf8')) as Record<string, unknown>;
    const long = JSON.stringify({ ...item, padding: 'x'.repeat(1536 * 1024) });
    const other = JSON.stringify({
      ...item,
      resourceId: 'sg-0other',
      ARN: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0other',
    });
    const file = await tempFile('items.json', `${long}\n${other}\n`);
    const { code, output } = await scan(file);
    expect(code).toBe(0);
    expect(output.summary.skipped).toEqual([]);
    expect(output.summary.resources).toBe(2);
  });

  it('still reads a pretty-printed document as one JSON document', async () => {
    const pretty = JSON.stringify(JSON.parse(await readFile(sshOpen, 'utf8')), null, 2);
    const { code, output } = await scan(await tempFile('item.json', pretty));
    expect(code).toBe(0);
    expect(output.summary).toMatchObject({ resources: 1, skipped: [] });
  });
});

describe('input bytes never reach the terminal raw', () => {
  const esc = '\u001b';

  it('escapes ESC sequences of a bad record in the table and of a bad file in the error line', async () => {
    const record = JSON.stringify(JSON.parse(await readFile(sshOpen, 'utf8')));
    // V8 quotes the start of a line it cannot parse in its message.
    const ndjson = await tempFile('items.ndjson', `${record}\n${esc}]0;owned${esc}\\ not json\n`);
    const table = await cli(['scan', '--format', 'table', '--input', ndjson]);
    expect(table.code).toBe(0);
    expect(table.stdout + table.stderr).not.toContain(esc);
    expect(table.stdout).toContain('\\u001b]0;owned');

    const bad = await tempFile('snapshot.json', `{\n  "a": ${esc}[2J\n}\n`);
    const failed = await cli(['scan', '--input', bad]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).not.toContain(esc);
    expect(failed.stderr.split('\n')[0]).toMatch(/is not valid JSON or NDJSON: .*\\u001b/);
  });
});

describe('the summary counts', () => {
  it('counts distinct resources once and every state judged: resources ≤ evaluated', async () => {
    const item = JSON.parse(await readFile(sshOpen, 'utf8')) as Record<string, unknown>;
    const states = [
      '2026-12-01T00:00:00.000Z',
      '2026-12-03T00:00:00.000Z',
      '2026-12-02T00:00:00.000Z',
    ];
    const lines = [
      ...states.map((at) => JSON.stringify({ ...item, configurationItemCaptureTime: at })),
      JSON.stringify({
        ...item,
        resourceId: 'sg-0other',
        ARN: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-0other',
      }),
      '{"not": "a cloud record"}',
    ];
    const file = await tempFile('history.ndjson', `${lines.join('\n')}\n`);
    const result = await cli(['scan', '--format', 'json', '--input', file]);
    expect(result.code).toBe(0);
    const { summary } = JSON.parse(result.stdout);
    expect(summary.resources).toBe(2);
    expect(summary.evaluated).toBe(4);
    expect(summary.evaluated + summary.skipped.length).toBe(lines.length);
    expect(summary.resources).toBeLessThanOrEqual(summary.evaluated);
  });
});
