import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../process.js';
import { ensureMotoServer } from './python-env.js';

describe('ensureMotoServer', () => {
  const saved = process.env['MOTO_SERVER_BIN'];
  afterEach(() => {
    if (saved === undefined) delete process.env['MOTO_SERVER_BIN'];
    else process.env['MOTO_SERVER_BIN'] = saved;
  });

  it('refuses a MOTO_SERVER_BIN that does not exist', async () => {
    process.env['MOTO_SERVER_BIN'] = '/nonexistent/moto_server';
    await expect(ensureMotoServer(() => undefined)).rejects.toThrow(ToolError);
    await expect(ensureMotoServer(() => undefined)).rejects.toThrow(
      'MOTO_SERVER_BIN=/nonexistent/moto_server does not exist',
    );
  });

  it('returns the installed binary without reinstalling when the pins are unchanged', async () => {
    delete process.env['MOTO_SERVER_BIN'];
    const logged: string[] = [];
    const first = await ensureMotoServer((line) => logged.push(line));
    const second = await ensureMotoServer((line) => logged.push(line));
    expect(second).toBe(first);
    expect(existsSync(second)).toBe(true);
    // At most the first call installed; the second found the stamp current.
    expect(logged.length).toBeLessThanOrEqual(1);
  }, 300_000);
});
