// The built `drift-detective-azure` as a test runs it: the process entry a
// container or a cron job runs, pointed at the Azure stand-in only through the
// variables production reads (the managed identity's endpoint, the Resource
// Manager endpoint, NODE_EXTRA_CA_CERTS), plus what the sample inventory needs.
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readStateFindings, type FindingRecord } from '@drift-detective/findings';
import {
  adapterProcessEnv,
  issueServerCertificate,
  runNodeScript,
  startNodeScript,
  type ProcessResult,
  type RunningProcess,
  testCaFromEnv,
  type AzureFault,
  type AzureFaultPlan,
  type AzureRequestInfo,
  type AzureStandIn,
  type JournalEntry,
} from '@drift-detective/testing';

/** The adapter's process entry. */
export const bin = path.resolve(import.meta.dirname, '..', 'bin', 'drift-detective-azure.js');

export type { ProcessResult } from '@drift-detective/testing';
export type RunningAdapter = RunningProcess;

/** Runs the built `drift-detective-azure` with these arguments to its end (never blocking the stand-in). */
export function adapter(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runNodeScript(bin, args, env);
}

/** Starts the built `drift-detective-azure`, for a test to signal it. */
export function startAdapter(args: readonly string[], env: NodeJS.ProcessEnv): RunningAdapter {
  return startNodeScript(bin, args, env);
}

/** Variables of the test runner's own environment the adapter must not inherit. */
const FOREIGN = /^(AZURE_|IDENTITY_|MSI_|IMDS_|DRIFT_)/;

/**
 * The environment of an adapter process: the runner's (PATH, NODE_EXTRA_CA_CERTS)
 * without any Azure or drift setting of its own, then the stand-in's variables.
 */
export const sweepEnv = (
  standIn: Pick<AzureStandIn, 'env'>,
  statePath: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv =>
  adapterProcessEnv({ foreign: FOREIGN, standInEnv: standIn.env, statePath, extra });

/** stderr's lines: JSON log lines, the sweep's own report lines, a failure line. */
function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '');
}

/** The lines that are not JSON log lines: what the command says to a person. */
export function reportLines(stderr: string): string[] {
  return stderrLines(stderr).filter((line) => !line.startsWith('{'));
}

/** No stack frame and no runtime warning banner anywhere on stderr. */
export const STACK_FRAME = /^\s+at /m;
export const WARNING_BANNER = /\(node:\d+\) \w*Warning/;

// ---------------------------------------------------------------------------
// The sample inventory, and what tests build from it.

export type Row = Record<string, unknown> & { id: string; name: string; type: string };

const SAMPLE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'samples',
  'azure',
  'resource-graph-answer.json',
);

/** The sample's subscription. */
export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';

/** The sample Resource Graph answer's rows, a fresh copy each call. */
export function sampleRows(): Row[] {
  return (JSON.parse(readFileSync(SAMPLE, 'utf8')) as { data: Row[] }).data;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A copy of a row under another name: every id, and the name, follow. */
function renamed(row: Row, from: string, to: string): Row {
  return JSON.parse(
    JSON.stringify(row)
      .split(`/${from}`)
      .join(`/${to}`)
      .replace(`"name":"${from}"`, `"name":"${to}"`),
  ) as Row;
}

/** A copy of a row in another subscription. */
export function inSubscription(row: Row, subscription: string): Row {
  return JSON.parse(JSON.stringify(row).split(SUBSCRIPTION).join(subscription)) as Row;
}

export function rowNamed(rows: readonly Row[], name: string): Row {
  const found = rows.find((row) => row.name === name);
  if (found === undefined) throw new Error(`no row named ${name}`);
  return clone(found);
}

interface SecurityRule {
  name: string;
  id: string;
  properties: Record<string, unknown>;
}

const rulesOf = (nsg: Row): SecurityRule[] =>
  (nsg['properties'] as { securityRules: SecurityRule[] }).securityRules;

/** Every rule of the NSG on this port, its name (and id) saying so. */
function onPort(nsg: Row, port: string, service: string): Row {
  for (const rule of rulesOf(nsg)) {
    rule.properties['destinationPortRange'] = port;
    rule.name = rule.name.replace('ssh', service);
    rule.id = rule.id.replace(/[^/]+$/, rule.name);
  }
  return nsg;
}

export const RDP_OPEN = 'ddnet003-open-rdp';
export const RDP_TWIN = 'ddnet003-deny-first';

/**
 * The sample has no NSG that opens RDP: the sample's SSH pair, moved to 3389.
 * ddnet003-open-rdp allows 3389 from Internet; its twin denies 3389 from
 * anywhere first, so its allow below admits nothing.
 */
export function rdpPair(rows: readonly Row[]): Row[] {
  const open = renamed(rowNamed(rows, 'ddnet001-open-ssh'), 'ddnet001-open-ssh', RDP_OPEN);
  const twin = renamed(rowNamed(rows, 'ddnet001-deny-first'), 'ddnet001-deny-first', RDP_TWIN);
  return [onPort(open, '3389', 'rdp'), onPort(twin, '3389', 'rdp')];
}

/** The sample plus the RDP pair. */
export function seedRows(): Row[] {
  const rows = sampleRows();
  return [...rows, ...rdpPair(rows)];
}

/** Rows with the named ones changed by `change` (on a copy). */
export function changed(rows: readonly Row[], name: string, change: (row: Row) => void): Row[] {
  return rows.map((row) => {
    if (row.name !== name) return row;
    const copy = clone(row);
    change(copy);
    return copy;
  });
}

/** The storage account's guardrail back on. */
export const guardrailOn = (row: Row): void => {
  (row['properties'] as Record<string, unknown>)['allowBlobPublicAccess'] = false;
};

/** The NSG's internet allow narrowed to the virtual network. */
export const narrowed = (row: Row): void => {
  for (const rule of rulesOf(row)) {
    if (rule.properties['sourceAddressPrefix'] === 'Internet') {
      rule.properties['sourceAddressPrefix'] = 'VirtualNetwork';
    }
  }
};

export const resourceId = (name: string, rows: readonly Row[]): string => rowNamed(rows, name).id;

// ---------------------------------------------------------------------------
// What the stand-in holds, as tests compare it.

/** An assessment as compared across runs: its id, status and the finding it carries. */
export interface AssessmentDigest {
  readonly id: string;
  readonly code: string;
  readonly ruleId: string | undefined;
  readonly findingId: string | undefined;
  readonly severity: string | undefined;
}

export function assessmentDigest(standIn: Pick<AzureStandIn, 'assessments'>): AssessmentDigest[] {
  return standIn
    .assessments()
    .map((a) => ({
      id: a.id.toLowerCase(),
      code: a.properties.status.code,
      ruleId: a.properties.additionalData?.['ruleId'],
      findingId: a.properties.additionalData?.['findingId'],
      severity: a.properties.additionalData?.['severity'],
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

interface MetadataView {
  readonly id: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
}

/** Assessment metadata as compared across runs: id and what it says (not its publish date). */
export function metadataDigest(standIn: Pick<AzureStandIn, 'metadata'>) {
  return (standIn.metadata() as MetadataView[])
    .map((m) => {
      const { publishDates: _publishDates, ...said } = m.properties;
      return { id: m.id.toLowerCase(), name: m.name, said };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The assessment on a resource (by resource name), if any. */
export function assessmentsOn(standIn: Pick<AzureStandIn, 'assessments'>, name: string) {
  return standIn
    .assessments()
    .filter((a) => a.properties.resourceDetails['id']?.toString().endsWith(`/${name}`));
}

/** The journal entries a run added: those after `before` entries. */
export function journalSince(
  standIn: Pick<AzureStandIn, 'requests'>,
  before: number,
): JournalEntry[] {
  return standIn.requests().slice(before);
}

/** Entries that write to Defender for Cloud. */
export const isSecurityWrite = (e: JournalEntry): boolean =>
  e.path.toLowerCase().includes('/providers/microsoft.security/') && e.method !== 'GET';

/** The state file's findings, read without taking the writer's lock. */
export const stateFindings = (statePath: string): Promise<FindingRecord[]> =>
  readStateFindings(statePath);

/** The state's pending findings (not yet taken by Defender for Cloud). */
export const statePending = (statePath: string): Promise<FindingRecord[]> =>
  readStateFindings(statePath, { unpublished: true });

// ---------------------------------------------------------------------------
// Fault plans.

/** One fault for the requests `match` picks, counted from this plan's start: the `from`-th to `from + count − 1`-th. */
export interface FaultStep {
  readonly match: (request: AzureRequestInfo) => boolean;
  readonly fault: AzureFault;
  readonly from?: number;
  readonly count?: number;
  /** Told when the step injects its fault. */
  readonly onFault?: (request: AzureRequestInfo) => void;
}

/**
 * A plan of steps whose counts start with the plan (the stand-in's own request
 * indexes run on across runs). The first step whose window holds the request wins.
 */
export function faultSteps(...steps: FaultStep[]): AzureFaultPlan {
  const seen = steps.map(() => 0);
  return (request) => {
    for (const [i, step] of steps.entries()) {
      if (!step.match(request)) continue;
      const nth = seen[i] ?? 0;
      seen[i] = nth + 1;
      const from = step.from ?? 0;
      if (nth >= from && nth < from + (step.count ?? Number.POSITIVE_INFINITY)) {
        step.onFault?.(request);
        return step.fault;
      }
    }
    return null;
  };
}

export const operationIs =
  (operation: string, pathPart?: string) =>
  (request: AzureRequestInfo): boolean =>
    request.operation === operation &&
    (pathPart === undefined || request.path.toLowerCase().includes(pathPart.toLowerCase()));

export { freePort, waitFor } from '@drift-detective/testing';

// ---------------------------------------------------------------------------
// A recording tap: the stand-in's journal names each call but keeps no body; a
// test that needs the Resource Graph query text puts this HTTPS relay between
// the adapter and the stand-in. It signs with the run's test CA, so the
// adapter trusts it exactly as it trusts the stand-in.

export interface TappedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export interface RecordingTap {
  readonly endpoint: string;
  readonly requests: () => TappedRequest[];
  close(): Promise<void>;
}

export async function startRecordingTap(target: string): Promise<RecordingTap> {
  const ca = testCaFromEnv();
  if (ca === undefined) throw new Error('no test CA: run under the stand-in globalSetup');
  const certificate = issueServerCertificate(ca);
  const upstream = new URL(target);
  const seen: TappedRequest[] = [];
  const server = createHttpsServer(
    { key: certificate.keyPem, cert: certificate.certPem },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        seen.push({ method: req.method ?? 'GET', path: url, body: body.toString('utf8') });
        const forward = httpsRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: url,
            headers: { ...req.headers, host: upstream.host },
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.destroy());
        forward.end(body);
      });
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    requests: () => [...seen],
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
