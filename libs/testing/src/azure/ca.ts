// A throwaway certificate authority for HTTPS stand-ins. Clients trust it the
// standard way, through NODE_EXTRA_CA_CERTS, so no code path anywhere needs an
// "insecure" switch. node:crypto makes the keys; node-forge writes the X.509
// parts node:crypto cannot (it reads certificates but does not issue them).
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

export interface TestCa {
  /** PEM file of the CA certificate: the value for NODE_EXTRA_CA_CERTS. */
  readonly certFile: string;
  /** PEM file of the CA's private key (PKCS#1). */
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Variables through which a test run hands its CA to stand-ins started in worker processes. */
export const TEST_CA_CERT_ENV = 'DRIFT_TEST_CA_CERT';
export const TEST_CA_KEY_ENV = 'DRIFT_TEST_CA_KEY';

const DAY_MS = 24 * 60 * 60 * 1000;

function rsaKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

function newCertificate(publicPem: string, validForMs: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: RFC 5280 §4.1.2.2 (a leading 0x00..0x7f byte keeps it positive).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  // An hour of slack before "now" absorbs clock skew between processes.
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + validForMs);
  return cert;
}

/** Makes a CA (30 days) and writes `ca.pem` and `ca-key.pem` into `dir`. */
export function createTestCertificateAuthority(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  const keys = rsaKeyPair();
  const cert = newCertificate(keys.publicPem, 30 * DAY_MS);
  const subject = [
    { name: 'commonName', value: 'Drift Detective test CA' },
    { name: 'organizationName', value: 'Drift Detective tests' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privatePem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca-key.pem');
  writeFileSync(certFile, certPem);
  writeFileSync(keyFile, keys.privatePem, { mode: 0o600 });
  return { certFile, keyFile, certPem, keyPem: keys.privatePem };
}

/** Reads a CA written by createTestCertificateAuthority. */
export function loadTestCa(certFile: string, keyFile: string): TestCa {
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8'),
  };
}

/** The CA the test run's global setup made, when this process runs under it. */
export function testCaFromEnv(env: NodeJS.ProcessEnv = process.env): TestCa | undefined {
  const certFile = env[TEST_CA_CERT_ENV];
  const keyFile = env[TEST_CA_KEY_ENV];
  return certFile && keyFile ? loadTestCa(certFile, keyFile) : undefined;
}

/** A server certificate for 127.0.0.1 and localhost, signed by `ca`, valid for 7 days. */
export function issueServerCertificate(ca: TestCa): ServerCertificate {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const keys = rsaKeyPair();
  const cert = newCertificate(keys.publicPem, 7 * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Node checks the name against the SAN, never the CN: type 7 is an IP address, 2 a DNS name.
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** Base64url SHA-1 of the CA certificate's DER: the JWT `x5t` of tokens signed with its key. */
export function caThumbprint(ca: TestCa): string {
  const der = forge.asn1
    .toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(ca.certPem)))
    .getBytes();
  return createHash('sha1').update(Buffer.from(der, 'binary')).digest('base64url');
}
