// Vitest globalSetup: one test CA per run, before any worker starts. Node reads
// NODE_EXTRA_CA_CERTS only when a process starts, so it must be in the
// environment the workers are forked with (Vitest's default pool, forks,
// passes process.env on); stand-ins started inside workers sign with the same
// CA, found through DRIFT_TEST_CA_CERT / DRIFT_TEST_CA_KEY.
// Use: projectTestConfig(dir, name, { globalSetup: [<path of this file>] }).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestCertificateAuthority, TEST_CA_CERT_ENV, TEST_CA_KEY_ENV } from './ca.js';

let dir: string | undefined;

export function setup(): void {
  dir = mkdtempSync(path.join(tmpdir(), 'drift-test-ca-'));
  const ca = createTestCertificateAuthority(dir);
  process.env['NODE_EXTRA_CA_CERTS'] = ca.certFile;
  process.env[TEST_CA_CERT_ENV] = ca.certFile;
  process.env[TEST_CA_KEY_ENV] = ca.keyFile;
}

export function teardown(): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  delete process.env[TEST_CA_CERT_ENV];
  delete process.env[TEST_CA_KEY_ENV];
  dir = undefined;
}
