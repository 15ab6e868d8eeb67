#!/usr/bin/env -S npx tsx --conditions=development
// Runs a protocol stand-in until SIGTERM/SIGINT, so the live adapters can run end to end with
// no cloud account:
//   tsx --conditions=development tools/src/standins/main.ts azure --seed FILE [--port N]
// When ready it prints one JSON line, {"endpoint":"https://127.0.0.1:PORT","env":{…}}: the
// variables a process needs to use it (the CA to trust, the managed-identity endpoint, the ARM
// endpoint and subscriptions). The CA lives in a temp dir, removed at exit.
//   tsx --conditions=development tools/src/standins/main.ts gcp --seed FILE [--port N]
// gcp: the seed is a Cloud Asset export (NDJSON, as `gcloud asset export` writes it); the line
// is {"endpoint":"127.0.0.1:PORT","admin":"http://127.0.0.1:PORT2","env":{…}}: plaintext gRPC
// for Cloud Asset Inventory and Security Command Center v2, and the admin API.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
// tools → testing closes a loop in the project graph only through build-order edges (testing
// tests read dist/policies; the policies build runs tools code), not through any code import.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  createTestCertificateAuthority,
  GcpSeedError,
  recordsOfExport,
  rowsOfAnswer,
  SeedError,
  startAzureStandIn,
  startGcpStandIn,
} from '@drift-detective/testing';
import { runMain, ToolError } from '../process.js';

const USAGE = 'usage: standins azure|gcp --seed FILE [--port N]';

function readSeed(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ToolError(
      `${file}: cannot read the seed: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let seed: unknown;
  try {
    seed = JSON.parse(text);
  } catch (error) {
    throw new ToolError(`${file}: the seed is not JSON: ${(error as Error).message}`);
  }
  try {
    rowsOfAnswer(seed);
  } catch (error) {
    if (error instanceof SeedError) throw new ToolError(`${file}: ${error.message}`);
    throw error;
  }
  return seed;
}

/** --seed FILE and --port N, which every stand-in takes. */
function seedAndPort(cloud: string, args: string[]): { seed: string; port: number | undefined } {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (values.seed === undefined) throw new ToolError(`${cloud} needs --seed FILE\n${USAGE}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port))
    throw new ToolError(`--port ${values.port} is not a port`);
  return { seed: values.seed, port };
}

/**
 * Prints the one ready line and serves until SIGTERM or SIGINT. A signal may
 * arrive twice (to the process group, and relayed by tsx): stop once, exit 0.
 */
function serveUntilSignal(standIn: { close(): Promise<void> }, ready: object): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void standIn.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

async function runAzure(args: string[]): Promise<void> {
  const { seed: file, port } = seedAndPort('azure', args);
  const seed = readSeed(file);
  const caDir = mkdtempSync(path.join(tmpdir(), 'drift-standin-'));
  process.once('exit', () => rmSync(caDir, { recursive: true, force: true }));
  const standIn = await startAzureStandIn({
    seed,
    ca: createTestCertificateAuthority(caDir),
    ...(port !== undefined ? { port } : {}),
  });
  serveUntilSignal(standIn, { endpoint: standIn.endpoint, env: standIn.env });
}

function readExport(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ToolError(
      `${file}: cannot read the seed: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    recordsOfExport(text);
  } catch (error) {
    if (error instanceof GcpSeedError) throw new ToolError(`${file}: ${error.message}`);
    throw error;
  }
  return text;
}

async function runGcp(args: string[]): Promise<void> {
  const { seed: file, port } = seedAndPort('gcp', args);
  const seed = readExport(file);
  const standIn = await startGcpStandIn({ seed, ...(port !== undefined ? { port } : {}) });
  serveUntilSignal(standIn, { endpoint: standIn.endpoint, admin: standIn.admin, env: standIn.env });
}

await runMain(async () => {
  const [cloud, ...rest] = process.argv.slice(2);
  if (cloud === 'azure') return runAzure(rest);
  if (cloud === 'gcp') return runGcp(rest);
  throw new ToolError(USAGE);
});
