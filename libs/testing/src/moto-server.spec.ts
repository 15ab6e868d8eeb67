import { describe, expect, it } from 'vitest';
import { startMotoServer } from './moto-server.js';

describe('startMotoServer', () => {
  it('serves the AWS emulator on a loopback port, resets, and stops', async () => {
    const moto = await startMotoServer();
    try {
      expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // A real AWS query-protocol call, routed to STS by the credential scope of its signature.
      const response = await fetch(moto.endpoint, {
        method: 'POST',
        headers: {
          Authorization: 'AWS4-HMAC-SHA256 Credential=test/20261101/us-east-1/sts/aws4_request',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Account>123456789012</Account>');
      await moto.reset();
    } finally {
      await moto.stop();
    }
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
  }, 60_000);

  it('says how to install it when the binary is missing', async () => {
    const saved = process.env['MOTO_SERVER_BIN'];
    process.env['MOTO_SERVER_BIN'] = '/nonexistent/moto_server';
    try {
      await expect(startMotoServer()).rejects.toThrow(
        /moto_server not found at \/nonexistent\/moto_server: run `make test`/,
      );
    } finally {
      if (saved === undefined) delete process.env['MOTO_SERVER_BIN'];
      else process.env['MOTO_SERVER_BIN'] = saved;
    }
  });
});
