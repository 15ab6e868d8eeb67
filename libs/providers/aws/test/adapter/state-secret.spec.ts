// The PostgreSQL state's connection URL from a Secrets Manager secret, read from
// moto_server: the URL itself, the JSON of RDS credentials built into one, and
// every way it cannot be, each one line that names the secret and never its value.
import {
  CreateSecretCommand,
  SecretsManagerClient,
  type CreateSecretCommandInput,
} from '@aws-sdk/client-secrets-manager';
import {
  faults,
  startFaultProxy,
  startMotoServer,
  withEnv,
  type FaultProxy,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  STATE_URL_SECRET_ENV,
  StateSecretError,
  stateUrlFromSecret,
} from '../../src/adapter/state-secret.js';
import { ACCOUNT, REGION, TEST_CREDENTIALS } from '../../src/testing/index.js';

let moto: MotoServer;
let client: SecretsManagerClient;
beforeAll(async () => {
  moto = await startMotoServer();
  client = new SecretsManagerClient({
    endpoint: moto.endpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
  });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

/** Creates a secret in moto and answers its ARN. */
async function secret(
  name: string,
  value: Pick<CreateSecretCommandInput, 'SecretString' | 'SecretBinary'>,
): Promise<string> {
  const { ARN } = await client.send(new CreateSecretCommand({ Name: name, ...value }));
  return ARN!;
}

/** The error a read fails with (it must fail). */
async function failure(read: Promise<string>): Promise<Error> {
  const outcome = await read.then(
    (url) => new Error(`read a URL of ${url.length} characters`),
    (error: unknown) => error as Error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome;
}

/** A one-line StateSecretError naming the secret, with none of the `secrets` in it. */
function expectNamedFailure(error: Error, arn: string, secrets: readonly string[]) {
  expect(error).toBeInstanceOf(StateSecretError);
  expect(error.message.startsWith(`state secret ${arn}: `)).toBe(true);
  expect(error.message).not.toContain('\n');
  for (const value of secrets) expect(error.message).not.toContain(value);
  expect(error.cause).toBeUndefined();
}

describe('stateUrlFromSecret', () => {
  it('answers a postgresql:// URL as it is stored, its TLS parameters included', async () => {
    const url =
      'postgresql://drift:s3cr%40t@db.abc123.eu-west-1.rds.amazonaws.com:5432/drift?sslmode=verify-full&sslrootcert=/var/runtime/ca-cert.pem';
    const arn = await secret('drift/state-url', { SecretString: `${url}\n` });
    expect(arn).toMatch(
      new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:drift/state-url-`),
    );
    expect(await stateUrlFromSecret(arn, { client })).toBe(url);
  });

  it('builds the URL from the JSON of RDS credentials, user and password percent-encoded', async () => {
    const username = 'drift@ops:team';
    const password = "p@ss:w/rd?#%&=+ 'ü'[]";
    const arn = await secret('drift/rds', {
      SecretString: JSON.stringify({
        engine: 'postgres',
        host: 'drift.cluster-abc123.eu-west-1.rds.amazonaws.com',
        port: '6432',
        username,
        password,
        dbname: 'drift_state',
        dbClusterIdentifier: 'drift',
        sslmode: 'verify-full',
        sslrootcert: '/var/runtime/ca-cert.pem',
      }),
    });
    const url = await stateUrlFromSecret(arn, { client });
    const parsed = new URL(url);
    // As node-postgres reads it (pg-connection-string: WHATWG URL, then decodeURIComponent).
    expect({
      protocol: parsed.protocol,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      host: parsed.hostname,
      port: parsed.port,
      database: decodeURIComponent(parsed.pathname.slice(1)),
      query: Object.fromEntries(parsed.searchParams),
    }).toEqual({
      protocol: 'postgresql:',
      user: username,
      password,
      host: 'drift.cluster-abc123.eu-west-1.rds.amazonaws.com',
      port: '6432',
      database: 'drift_state',
      query: { sslmode: 'verify-full', sslrootcert: '/var/runtime/ca-cert.pem' },
    });
    // Nothing of the password is left bare: every reserved character is escaped.
    expect(url).not.toContain('p@ss');
    expect(url).toContain(encodeURIComponent(password));
  });

  it('takes the documented defaults of the JSON: port 5432, database postgres, a numeric port', async () => {
    const arn = await secret('drift/defaults', {
      SecretString: JSON.stringify({ host: '10.0.1.23', username: 'drift', password: 'pw' }),
    });
    expect(await stateUrlFromSecret(arn, { client })).toBe(
      'postgresql://drift:pw@10.0.1.23:5432/postgres',
    );
    const numeric = await secret('drift/numeric-port', {
      SecretString: JSON.stringify({ host: 'db', port: 5433, username: 'u', password: 'p' }),
    });
    expect(await stateUrlFromSecret(numeric, { client })).toBe('postgresql://u:p@db:5433/postgres');
  });

  it('names a missing secret in one line', async () => {
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:drift/nowhere-AbCdEf`;
    const error = await failure(stateUrlFromSecret(arn, { client }));
    expectNamedFailure(error, arn, []);
    expect(error.message).toMatch(/ResourceNotFoundException/);
  });

  it('refuses a secret that is neither a URL nor RDS credentials, without quoting it', async () => {
    const cases: [string, string, RegExp][] = [
      [
        'plain',
        'hunter2-not-a-url',
        /neither a postgresql:\/\/ URL nor the JSON of RDS credentials/,
      ],
      ['broken-json', '{"password": "hunter2-broken', /starts like JSON but does not parse/],
      ['list', '["hunter2-list"]', /neither a postgresql:\/\/ URL nor/],
      [
        'mysql',
        JSON.stringify({ engine: 'mysql', host: 'db', username: 'u', password: 'hunter2-mysql' }),
        /engine "mysql", not PostgreSQL/,
      ],
      // RDS's managed master user secret: a username and a password, no server.
      [
        'managed',
        JSON.stringify({ username: 'postgres', password: 'hunter2-managed' }),
        /JSON without host: .*managed master user secret has no host/,
      ],
      [
        'bad-port',
        JSON.stringify({ host: 'db', port: 'x', username: 'u', password: 'hunter2-port' }),
        /port is not a TCP port/,
      ],
      [
        'bad-host',
        JSON.stringify({ host: 'db/x@y', username: 'u', password: 'hunter2-host' }),
        /host is not a host name/,
      ],
    ];
    for (const [name, value, problem] of cases) {
      const arn = await secret(`drift/${name}`, { SecretString: value });
      const error = await failure(stateUrlFromSecret(arn, { client }));
      expectNamedFailure(error, arn, ['hunter2']);
      expect(error.message, name).toMatch(problem);
    }
    const binary = await secret('drift/binary', {
      SecretBinary: Buffer.from('postgresql://u:hunter2-binary@db/x'),
    });
    const error = await failure(stateUrlFromSecret(binary, { client }));
    expectNamedFailure(error, binary, ['hunter2']);
    expect(error.message).toMatch(/no SecretString \(a binary secret\)/);
  });

  it('refuses what is not a secret ARN, without echoing a URL put there by mistake', async () => {
    const url = 'postgresql://drift:hunter2@db/drift';
    const pasted = await failure(stateUrlFromSecret(url, { client }));
    expect(pasted.message).toBe(
      `${STATE_URL_SECRET_ENV} holds a connection URL, not a secret ARN: put the URL in the secret`,
    );
    const other = await failure(stateUrlFromSecret('drift/state-url', { client }));
    expect(other.message).toMatch(/is not a Secrets Manager secret ARN/);
  });
});

describe('stateUrlFromSecret without a client of the caller', () => {
  /** The default chain's environment credentials, and no profile of the machine's. */
  const sdkEnv = (endpoint: string) => ({
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  it("reads through the SDK's default chain, in the region the ARN names", async () => {
    const arn = await secret('drift/default-chain', {
      SecretString: 'postgresql://drift:pw@db/drift',
    });
    // No AWS_REGION: the client's region can only come from the ARN.
    const url = await withEnv(sdkEnv(moto.endpoint), () => stateUrlFromSecret(arn));
    expect(url).toBe('postgresql://drift:pw@db/drift');
  });

  it('gives up on an endpoint that never answers after timeoutMs, in one line', async () => {
    const arn = await secret('drift/silent', { SecretString: 'postgresql://drift:pw@db/drift' });
    proxy = await startFaultProxy({ target: moto.endpoint, plan: () => faults.silent() });
    const started = Date.now();
    const error = await withEnv(sdkEnv(proxy.endpoint), () =>
      failure(stateUrlFromSecret(arn, { timeoutMs: 700 })),
    );
    // Bounded: a hung call would never end (the SDK's credential chain starts cold here too).
    expect(Date.now() - started).toBeLessThan(15_000);
    expectNamedFailure(error, arn, ['pw']);
    expect(error.message).toBe(
      `state secret ${arn}: Secrets Manager GetSecretValue got no answer within 700 ms`,
    );
  });

  it('stops when the caller says so', async () => {
    const arn = await secret('drift/stopped', { SecretString: 'postgresql://drift:pw@db/drift' });
    proxy = await startFaultProxy({ target: moto.endpoint, plan: () => faults.silent() });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 200);
    const error = await withEnv(sdkEnv(proxy.endpoint), () =>
      failure(stateUrlFromSecret(arn, { signal: stop.signal })),
    );
    expect(error.message).toBe(`state secret ${arn}: reading stopped`);
  });
});
