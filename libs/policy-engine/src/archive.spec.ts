import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTarGz } from './archive.js';
import { builtBundleDir } from '../test/bundle-dir.js';

describe('readTarGz', () => {
  it('reads the files of the bundle opa build wrote, without their leading slash', async () => {
    const files = readTarGz(await readFile(path.join(builtBundleDir, 'bundle.tar.gz')));
    expect(files.has('policy.wasm')).toBe(true);
    expect(files.has('.manifest')).toBe(true);
    const wasm = files.get('policy.wasm');
    // Every wasm module starts with "\0asm".
    expect(wasm?.subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
    expect(wasm).toEqual(await readFile(path.join(builtBundleDir, 'policy.wasm')));
  });

  it('throws on an archive cut short inside a file', async () => {
    const whole = readTarGz(await readFile(path.join(builtBundleDir, 'bundle.tar.gz')));
    expect(whole.size).toBeGreaterThan(0);
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(await readFile(path.join(builtBundleDir, 'bundle.tar.gz')));
    expect(() => readTarGz(gzipSync(tar.subarray(0, Math.floor(tar.length / 2))))).toThrow(
      /truncated/,
    );
    // A cut right after a complete member still lacks the end-of-archive marker.
    expect(() => readTarGz(gzipSync(tar.subarray(0, 1024)))).toThrow(/truncated/);
  });

  it('throws on bytes that are not gzip', () => {
    expect(() => readTarGz(Buffer.from('plain text'))).toThrow();
  });
});
