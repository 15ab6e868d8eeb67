// What the webhook and Functions tests share: the built adapter as a process,
// the built Functions package in a worker process, the sample inventory, Event
// Grid deliveries made from Microsoft's example Resource events, and Entra ID
// tokens signed by a key pair of the test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  azureSpecsDir,
  runNodeScript,
  startNodeScript,
  type ProcessResult,
  type RunningProcess,
} from '@drift-detective/testing';

const appDir = path.resolve(import.meta.dirname, '..');
const workspaceRoot = path.resolve(appDir, '..', '..');

/** The adapter's process entry (`drift-detective-azure sweep|serve`), as a container runs it. */
export const bin = path.join(appDir, 'bin', 'drift-detective-azure.js');

/** The built Functions package, as it is zipped and deployed. */
export const functionAppDir = path.join(appDir, 'dist', 'function-app');

// ---------------------------------------------------------------------------
// The sample inventory (samples/azure/resource-graph-answer.json)

export type Row = Record<string, unknown> & { readonly id: string; readonly name: string };

interface Answer {
  readonly data: Row[];
  readonly [key: string]: unknown;
}

/** A fresh copy of the sample Resource Graph answer each call (tests change theirs). */
export function sampleAnswer(): Answer {
  return JSON.parse(
    readFileSync(
      path.join(workspaceRoot, 'samples', 'azure', 'resource-graph-answer.json'),
      'utf8',
    ),
  ) as Answer;
}

/** The sample's subscription. */
export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';

/** The id of the sample's resource with this name. */
export function idOf(name: string): string {
  const row = sampleAnswer().data.find((r) => r.name === name);
  if (row === undefined) throw new Error(`the sample holds no resource named ${name}`);
  return row.id;
}

/**
 * The sample answer with resources changed: each named one replaced by what
 * its function returns, or left out when that is undefined.
 */
export function sampleWith(
  changes: Readonly<Record<string, (row: Row) => Row | undefined>>,
): Answer {
  const answer = sampleAnswer();
  const data = answer.data.flatMap((row) => {
    const change = changes[row.name];
    if (change === undefined) return [row];
    const changed = change(structuredClone(row));
    return changed === undefined ? [] : [changed];
  });
  return { ...answer, data, count: data.length, totalRecords: data.length };
}

/** A row with some of its `properties` set. */
export function withProperties(props: Record<string, unknown>): (row: Row) => Row {
  return (row) => ({ ...row, properties: { ...(row['properties'] as object), ...props } });
}

// ---------------------------------------------------------------------------
// Event Grid deliveries

const RESOURCE_EXAMPLES = path.join(
  azureSpecsDir(),
  'specification/eventgrid/data-plane/Microsoft.Resources/stable/2018-01-01/examples',
);

export type EventSchema = 'event-grid-schema' | 'cloud-events-schema';

type Json = Record<string, unknown>;

function example(schema: EventSchema, operation: 'write' | 'delete'): Json {
  return JSON.parse(
    readFileSync(
      path.join(RESOURCE_EXAMPLES, schema, `resource_${operation}_success.json`),
      'utf8',
    ),
  ) as Json;
}

/** `Microsoft.Storage/storageAccounts` for an id of one (`…/providers/{ns}/{type}/{name}[/{type}/{name}…]`). */
export function armTypeOf(resourceId: string): string {
  const segments = resourceId.split('/').filter((s) => s !== '');
  const at = segments.map((s) => s.toLowerCase()).lastIndexOf('providers');
  const [namespace, ...rest] = segments.slice(at + 1);
  return [namespace, ...rest.filter((_, i) => i % 2 === 0)].join('/');
}

function resourceGroupScope(resourceId: string): string {
  const match = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(resourceId);
  return match?.[1] ?? `/subscriptions/${SUBSCRIPTION}`;
}

export interface ResourceEventOptions {
  /** Default: a new UUID. */
  readonly id?: string;
  /** Default: now. */
  readonly time?: string;
  /** The caller's sign-in name (the upn claim). */
  readonly changedBy?: string;
  readonly correlationId?: string;
}

/**
 * Microsoft's example ResourceWriteSuccess / ResourceDeleteSuccess event of
 * one schema, about `resourceId`: its subject, topic (source), resourceUri,
 * scope, operation and caller rewritten, everything else as Microsoft wrote it.
 */
export function resourceEvent(
  schema: EventSchema,
  operation: 'write' | 'delete',
  resourceId: string,
  options: ResourceEventOptions = {},
): Json {
  const raw = example(schema, operation);
  const data = raw['data'] as Json;
  const armType = armTypeOf(resourceId);
  const action = `${armType}/${operation}`;
  const claims: Json = { ...(data['claims'] as Json) };
  if (options.changedBy !== undefined) {
    claims['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'] = options.changedBy;
    claims['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'] = options.changedBy;
    claims['name'] = options.changedBy;
  }
  const rewritten: Json = {
    ...data,
    authorization: { ...(data['authorization'] as Json), scope: resourceId, action },
    claims,
    correlationId: options.correlationId ?? randomUUID(),
    resourceProvider: armType.split('/')[0],
    resourceUri: resourceId,
    operationName: action,
    subscriptionId: SUBSCRIPTION,
  };
  const id = options.id ?? randomUUID();
  const time = options.time ?? new Date().toISOString();
  const topic = resourceGroupScope(resourceId);
  return schema === 'event-grid-schema'
    ? { ...raw, id, eventTime: time, subject: resourceId, topic, data: rewritten }
    : { ...raw, id, time, subject: resourceId, source: topic, data: rewritten };
}

/** Event Grid's SubscriptionValidationEvent (Event Grid schema), as it is delivered: in an array. */
export function validationDelivery(validationCode: string): Json[] {
  return [
    {
      id: randomUUID(),
      topic: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-drift`,
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: new Date().toISOString(),
      data: {
        validationCode,
        validationUrl: `https://rp-eastus.eventgrid.azure.net/eventsubscriptions/drift/validate?id=${validationCode}&t=${new Date().toISOString()}`,
      },
      dataVersion: '2',
      metadataVersion: '1',
    },
  ];
}

// ---------------------------------------------------------------------------
// Entra ID tokens

export const WEBHOOK_TENANT = '72f988bf-0000-4000-8000-0000000000aa';
export const WEBHOOK_AUDIENCE = 'api://drift-detective-webhook';
/** The issuer of Entra ID v1.0 access tokens for the tenant. */
export const WEBHOOK_ISSUER = `https://sts.windows.net/${WEBHOOK_TENANT}/`;

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** An RS256 signer and the JSON Web Key Set that verifies it. */
export interface TokenIssuer {
  readonly jwks: { readonly keys: readonly Json[] };
  /** A JWT with these claims (iat and nbf now, exp in an hour unless given). */
  sign(claims: Json): string;
}

export function tokenIssuer(kid = 'drift-test-key'): TokenIssuer {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Json), kid, alg: 'RS256', use: 'sig' };
  return { jwks: { keys: [jwk] }, sign: (claims) => signJwt(privateKey, kid, claims) };
}

function signJwt(key: KeyObject, kid: string, claims: Json): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(JSON.stringify({ iat: now, nbf: now, exp: now + 3600, ...claims }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The claims Event Grid's token carries for an AAD-protected webhook (v1.0 token). */
export function eventGridClaims(extra: Json = {}): Json {
  return {
    iss: WEBHOOK_ISSUER,
    aud: WEBHOOK_AUDIENCE,
    appid: '4962773b-9cdb-44cf-a8bf-237846a00ab7',
    tid: WEBHOOK_TENANT,
    roles: ['AzureEventGridSecureWebhookSubscriber'],
    ver: '1.0',
    ...extra,
  };
}

// ---------------------------------------------------------------------------
// HTTP

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A POST of a JSON body, as Event Grid delivers (aeg-* headers included). */
export async function deliver(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'aeg-event-type': 'Notification',
      'aeg-subscription-name': 'DRIFT-DETECTIVE',
      'aeg-delivery-count': '0',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

// ---------------------------------------------------------------------------
// Processes

export type { ProcessResult, RunningProcess } from '@drift-detective/testing';

/** Runs the built `drift-detective-azure` with these arguments to its end. */
export function runAdapter(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProcessResult> {
  return runNodeScript(bin, args, { ...process.env, ...env });
}

/** Starts the built `drift-detective-azure` with these arguments, for a test to signal it. */
export function startAdapter(args: readonly string[], env: NodeJS.ProcessEnv): RunningProcess {
  return startNodeScript(bin, args, { ...process.env, ...env });
}

/** Sends `signal` (at once if it has ended) and waits for the exit. */
export async function stopAdapter(
  running: RunningProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill(signal);
  }
  return running.exited;
}

export { freePort, waitFor } from '@drift-detective/testing';

// ---------------------------------------------------------------------------
// The Functions package outside the Functions host

/**
 * A stand-in for the Functions worker: imports the package's main module and
 * calls its exported handlers with @azure/functions' own HttpRequest and
 * InvocationContext (the library runs in its test mode outside the host).
 * Commands come one JSON line at a time on stdin; each answer is one
 * `ANSWER <json>` line on stdout, where the app's own logs also go.
 */
const WORKER_SOURCE = String.raw`
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
const [appUrl, functionsUrl] = process.argv.slice(1);
const { HttpRequest, InvocationContext } = (await import(functionsUrl)).default;
const app = await import(appUrl);
const reply = (value) => process.stdout.write('ANSWER ' + JSON.stringify(value) + '\n');
function context(functionName, logs) {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
  });
}
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  const logs = [];
  try {
    if (command.op === 'timer') {
      const now = new Date().toISOString();
      const timer = {
        isPastDue: false,
        schedule: { adjustForDST: true },
        scheduleStatus: { last: now, next: now, lastUpdated: now },
      };
      const handler = command.subscription ? app.sweepTimerFor(command.subscription) : app.sweepTimer;
      await handler(timer, context(command.subscription ? 'sweep-' + command.subscription : 'sweep', logs));
      reply({ ok: true, logs });
    } else if (command.op === 'http') {
      const request = new HttpRequest({
        method: command.method,
        url: command.url,
        headers: command.headers,
        ...(command.body === undefined ? {} : { body: { string: command.body } }),
      });
      const answer = await app.eventGridHttp(request, context('eventgrid', logs));
      reply({ ok: true, status: answer.status, headers: answer.headers ?? {}, body: answer.body ?? null, logs });
    } else if (command.op === 'close') {
      await app.closeRuntime();
      reply({ ok: true });
      break;
    }
  } catch (error) {
    reply({ ok: false, error: String(error && error.stack ? error.stack : error), logs });
  }
}
`;

export interface WorkerLog {
  readonly level: string;
  readonly message: string;
}

export type WorkerAnswer =
  | { readonly ok: true; readonly logs: WorkerLog[] }
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string | null;
      readonly logs: WorkerLog[];
    }
  | { readonly ok: false; readonly error: string; readonly logs: WorkerLog[] };

export interface HttpTriggerCall {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface FunctionsWorker {
  /** Runs the timer trigger's handler once: the `sweep` one, or a subscription's own. */
  timer(subscription?: string): Promise<WorkerAnswer>;
  /** Runs the HTTP trigger's handler with this request. */
  http(call: HttpTriggerCall): Promise<Extract<WorkerAnswer, { status: number }>>;
  /** closeRuntime(), then the worker ends: its exit code. */
  close(): Promise<number | null>;
  /** stderr so far. */
  readonly stderr: () => string;
  /** stdout so far, but the answers: the app's own logs. */
  readonly stdout: () => string;
  readonly child: ChildProcess;
}

/** Starts a worker process on the package's main module `main`, with these app settings. */
export function startFunctionsWorker(main: string, env: NodeJS.ProcessEnv): FunctionsWorker {
  const functionsLib = createRequire(import.meta.url).resolve('@azure/functions');
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      WORKER_SOURCE,
      pathToFileURL(main).href,
      pathToFileURL(functionsLib).href,
    ],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: ((answer: WorkerAnswer) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('ANSWER ')) waiting.shift()?.(JSON.parse(line.slice(7)) as WorkerAnswer);
      else stdout += `${line}\n`;
    }
  });
  const send = (command: Record<string, unknown>): Promise<WorkerAnswer> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null) {
        reject(new Error(`the worker has exited: ${stderr}`));
        return;
      }
      waiting.push(resolve);
      child.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    timer: (subscription) => send({ op: 'timer', subscription }),
    async http(call) {
      const answer = await send({ op: 'http', ...call });
      if (!answer.ok) throw new Error(`the HTTP trigger failed: ${answer.error}`);
      return answer as Extract<WorkerAnswer, { status: number }>;
    },
    async close() {
      await send({ op: 'close' });
      child.stdin?.end();
      return exited;
    },
  };
}
