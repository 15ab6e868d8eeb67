import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWaivers } from './load.js';
import { parseWaivers } from './parse.js';
import { WaiverFileError } from './waiver.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../../../../policies/waivers.yaml');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'waivers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadWaivers', () => {
  it('reads a missing file as no waivers', async () => {
    expect(await loadWaivers(path.join(dir, 'absent.yaml'))).toEqual([]);
  });

  it('reads and checks a real file', async () => {
    const file = path.join(dir, 'waivers.yaml');
    await writeFile(
      file,
      `waivers:
  - rule: DD-DB-001
    resource: { account: 123456789012 }
    reason: Reporting replica behind an allow-list
    owner: data@example.com
    expires: 2027-03-01
`,
    );
    expect(await loadWaivers(file)).toEqual([
      {
        rule: 'DD-DB-001',
        resource: { account: '123456789012' },
        reason: 'Reporting replica behind an allow-list',
        owner: 'data@example.com',
        expires: '2027-03-01',
        line: 2,
      },
    ]);
  });

  it('names the path it was given in the problems of an invalid file', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'waivers:\n  - rule: DD-DB-001\n');
    const error = await loadWaivers(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiverFileError);
    expect((error as WaiverFileError).message).toContain(
      `${file}:2: waiver 1: expires is required (YYYY-MM-DD)`,
    );
  });

  it('throws on a path that exists but cannot be read as a file', async () => {
    const error = await loadWaivers(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaiverFileError);
    const message = (error as WaiverFileError).message;
    expect(message.startsWith(`${dir}: cannot read: `)).toBe(true);
    expect(message).toContain('EISDIR');
  });
});

describe('the example policies/waivers.yaml', () => {
  it('parses, with no waivers', async () => {
    expect(await loadWaivers(EXAMPLE)).toEqual([]);
  });

  it('documents a format example that parses as written', async () => {
    // The commented block from "#   waivers:" down to its expires line, uncommented.
    const lines = (await readFile(EXAMPLE, 'utf8')).split('\n');
    const start = lines.indexOf('#   waivers:');
    const end = lines.findIndex((l, i) => i > start && l.startsWith('#       expires:'));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    const example = lines
      .slice(start, end + 1)
      .map((l) => l.slice(4))
      .join('\n');
    expect(parseWaivers(example, 'example')).toEqual([
      {
        rule: 'DD-STORAGE-001',
        resource: {
          id: 'arn:aws:s3:::public-site-*',
          account: '123456789012',
          tags: { team: 'web' },
        },
        reason: 'Static website, public by design',
        owner: 'web-team@example.com',
        expires: '2027-01-31',
        line: 2,
      },
    ]);
  });
});
