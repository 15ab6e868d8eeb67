// The run's CA reaches the worker the way clients trust it in production-like
// runs: NODE_EXTRA_CA_CERTS in the environment the worker process started with.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestCertificateAuthority,
  issueServerCertificate,
  TEST_CA_CERT_ENV,
  testCaFromEnv,
} from './ca.js';

async function serveOnce(certificate: { certPem: string; keyPem: string }) {
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_req, res) =>
    res.end('ok'),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

describe('the test CA', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ca-spec-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is in the environment this worker process was started with', () => {
    const ca = testCaFromEnv();
    expect(ca).toBeDefined();
    expect(process.env['NODE_EXTRA_CA_CERTS']).toBe(process.env[TEST_CA_CERT_ENV]);
    expect(ca!.certPem).toContain('BEGIN CERTIFICATE');
  });

  it('is trusted by the default TLS stack, for 127.0.0.1 and localhost, with no CA passed', async () => {
    const { server, port } = await serveOnce(issueServerCertificate(testCaFromEnv()!));
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const answer = await fetch(`https://${host}:${port}/`);
        expect(await answer.text()).toBe('ok');
      }
    } finally {
      server.close();
    }
  });

  it('does not make any other CA trusted', async () => {
    const stranger = createTestCertificateAuthority(scratch);
    const { server, port } = await serveOnce(issueServerCertificate(stranger));
    try {
      await expect(fetch(`https://127.0.0.1:${port}/`)).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});
