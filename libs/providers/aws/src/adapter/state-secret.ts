import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isPostgresUrl } from '@drift-detective/findings';
import { AwsAnswerError, nameFailedCalls } from '../sdk/call-errors.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, requestHandlerOptions } from './timeouts.js';

/**
 * The variable a deployment names the state's secret in (deploy/aws/template.yaml,
 * StateUrlSecretArn): the ARN, never the value, so the connection string stays
 * out of the function's configuration.
 */
export const STATE_URL_SECRET_ENV = 'DRIFT_STATE_URL_SECRET_ARN';

/** How long reading the secret may take in all, retries included. */
export const DEFAULT_STATE_SECRET_TIMEOUT_MS = 10_000;

/** What the SecretString's JSON form falls back to (the RDS structure's documented defaults). */
const DEFAULT_PORT = 5432;
const DEFAULT_DBNAME = 'postgres';

/** Keys of the JSON form copied into the URL's query, for TLS (libpq's names). */
const TLS_KEYS = ['sslmode', 'sslrootcert'] as const;

/**
 * The state's secret could not be turned into a connection URL: one line
 * naming the secret and the problem. It never carries the secret's value, nor
 * an error that might quote it.
 */
export class StateSecretError extends Error {
  override readonly name = 'StateSecretError';

  constructor(
    readonly secretArn: string,
    problem: string,
  ) {
    super(`state secret ${secretArn}: ${problem}`);
  }
}

export interface StateUrlFromSecretOptions {
  /**
   * The Secrets Manager client (tests: one on an emulator). Default: one of
   * our own in the secret's region, on the SDK's default credential chain and
   * endpoint variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SECRETS_MANAGER),
   * with connect and request timeouts; destroyed again after the call.
   */
  readonly client?: Pick<SecretsManagerClient, 'send'> | undefined;
  /** The whole read, every attempt included; default 10 s. */
  readonly timeoutMs?: number | undefined;
  /** Stops the read (a shutdown). */
  readonly signal?: AbortSignal | undefined;
}

/** arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>. */
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:secret:.+$/;

/** The first line of a message, trimmed: errors are one line. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

/**
 * Why the call failed, in words that cannot quote the secret: the service's
 * own error (its name and message say what is missing or denied), a timeout,
 * or an answer the SDK could not read, named without its body.
 */
function callProblem(error: unknown, deadline: AbortSignal, timeoutMs: number): string {
  if (deadline.aborted)
    return `Secrets Manager GetSecretValue got no answer within ${timeoutMs} ms`;
  if (error instanceof AwsAnswerError) {
    return `Secrets Manager GetSecretValue answered HTTP ${error.$metadata.httpStatusCode ?? '?'} with a body the SDK cannot read`;
  }
  if (error instanceof Error) return `${error.name}: ${firstLine(error.message)}`;
  return 'GetSecretValue failed';
}

/** A JSON value as a non-empty string, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The JSON of RDS database credentials as a connection URL, user and password
 * percent-encoded. The structure is Secrets Manager's for RDS and Aurora
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html):
 * {"engine": "postgres", "host", "username", "password", "dbname" (default
 * postgres), "port" (default 5432)}, a number or a numeric string; the console
 * writes it for a "Credentials for Amazon RDS database" secret. More keys may
 * be added: `sslmode` and `sslrootcert` go into the URL for TLS. RDS's own
 * managed master user secret holds only username and password
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html),
 * so it names no server to connect to.
 */
function urlFromCredentials(arn: string, json: Record<string, unknown>): string {
  const fail = (problem: string) => new StateSecretError(arn, problem);
  const engine = json['engine'];
  if (engine !== undefined && !(typeof engine === 'string' && /postgres/i.test(engine))) {
    throw fail(`holds credentials for engine ${JSON.stringify(engine)}, not PostgreSQL`);
  }
  const username = text(json['username']);
  const password = typeof json['password'] === 'string' ? json['password'] : undefined;
  const host = text(json['host']);
  const missing = [
    ...(host === undefined ? ['host'] : []),
    ...(username === undefined ? ['username'] : []),
    ...(password === undefined ? ['password'] : []),
  ];
  if (host === undefined || username === undefined || password === undefined) {
    throw fail(
      `holds JSON without ${missing.join(', ')}: the RDS credentials structure needs host, username and ` +
        "password (RDS's managed master user secret has no host: put the URL, or that structure, in a secret of its own)",
    );
  }
  const hostName = host.trim();
  let hostPart: string;
  if (/^[A-Za-z0-9.-]+$/.test(hostName)) hostPart = hostName;
  else if (/^[0-9A-Fa-f:.]+$/.test(hostName) && hostName.includes(':')) hostPart = `[${hostName}]`;
  else throw fail('holds JSON whose host is not a host name or an IP address');
  const rawPort = json['port'] ?? DEFAULT_PORT;
  const port = typeof rawPort === 'string' && rawPort.trim() !== '' ? Number(rawPort) : rawPort;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw fail('holds JSON whose port is not a TCP port');
  }
  const dbname = text(json['dbname']) ?? DEFAULT_DBNAME;
  const query = new URLSearchParams();
  for (const key of TLS_KEYS) {
    const value = text(json[key]);
    if (value !== undefined) query.set(key, value);
  }
  const search = query.toString() === '' ? '' : `?${query.toString()}`;
  return (
    `postgresql://${encodeURIComponent(username)}:${encodeURIComponent(password)}` +
    `@${hostPart}:${port}/${encodeURIComponent(dbname)}${search}`
  );
}

/** The SecretString as a state URL: a postgresql:// URL as is, or the RDS JSON built into one. */
function stateUrlOf(arn: string, secret: string): string {
  const value = secret.trim();
  if (isPostgresUrl(value)) return value;
  if (value.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      // JSON.parse's message quotes the text: never passed on.
      throw new StateSecretError(arn, 'holds text that starts like JSON but does not parse');
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
      return urlFromCredentials(arn, json as Record<string, unknown>);
    }
  }
  throw new StateSecretError(
    arn,
    'holds neither a postgresql:// URL nor the JSON of RDS credentials (host, port, username, password, dbname)',
  );
}

/**
 * The connection URL of a PostgreSQL state kept in a Secrets Manager secret,
 * read once (a Lambda function does it at each cold start). The SecretString
 * is either the URL itself (TLS and the rest as its parameters:
 * `?sslmode=verify-full&sslrootcert=…`), or the JSON of RDS credentials (see
 * urlFromCredentials), built into a URL with user and password percent-encoded.
 *
 * The read goes through the SDK's default credential chain (the Lambda
 * execution role), needs `secretsmanager:GetSecretValue` on the secret (and
 * `kms:Decrypt` when it is encrypted with a customer managed key), and is
 * bounded by `timeoutMs` in all. Every failure is a StateSecretError naming
 * the secret, never its value.
 */
export async function stateUrlFromSecret(
  arn: string,
  options: StateUrlFromSecretOptions = {},
): Promise<string> {
  const secretArn = arn.trim();
  const region = SECRET_ARN.exec(secretArn)?.[1];
  if (region === undefined) {
    // Not echoed: a connection URL pasted here would carry its password.
    throw new Error(
      isPostgresUrl(secretArn)
        ? `${STATE_URL_SECRET_ENV} holds a connection URL, not a secret ARN: put the URL in the secret`
        : `${STATE_URL_SECRET_ENV} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
    );
  }
  const timeoutMs =
    options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0
      ? options.timeoutMs
      : DEFAULT_STATE_SECRET_TIMEOUT_MS;
  let own: SecretsManagerClient | undefined;
  let client: Pick<SecretsManagerClient, 'send'>;
  if (options.client) {
    client = options.client;
  } else {
    own = nameFailedCalls(
      new SecretsManagerClient({
        region,
        // Each attempt, as every other client's (clients.ts); the deadline below bounds them all.
        requestHandler: requestHandlerOptions({
          connectTimeoutMs: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs),
          requestTimeoutMs: timeoutMs,
        }),
      }),
    );
    client = own;
  }
  const deadline = AbortSignal.timeout(timeoutMs);
  const abortSignal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let secret: string | undefined;
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretArn }), {
      abortSignal,
    });
    secret = answer.SecretString;
  } catch (error) {
    if (options.signal?.aborted) throw new StateSecretError(secretArn, 'reading stopped');
    throw new StateSecretError(secretArn, callProblem(error, deadline, timeoutMs));
  } finally {
    own?.destroy();
  }
  if (secret === undefined) {
    throw new StateSecretError(
      secretArn,
      'holds no SecretString (a binary secret): store the URL or the RDS JSON as text',
    );
  }
  return stateUrlOf(secretArn, secret);
}
