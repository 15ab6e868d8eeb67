#!/usr/bin/env -S npx tsx --conditions=development
// Runs a protocol stand-in until SIGTERM/SIGINT, so the live adapters can run end to end with
// no cloud account:
//   tsx --conditions=development tools/src/standins/main.ts azure --seed FILE [--port N]
// When ready it prints one JSON line, {"endpoint":"https://127.0.0.1:PORT","env":{…}}: the
// variables a process needs to use it (the CA to trust, the managed-identity endpoint, the ARM
// endpoint and subscriptions). The CA lives in a temp dir, removed at exit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
// tools → testing closes a loop in the project graph only through build-order edges (testing
// tests read dist/policies; the policies build runs tools code), not through any code import.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  createTestCertificateAuthority,
  rowsOfAnswer,
  SeedError,
  startAzureStandIn,
} from '@drift-detective/testing';
import { runMain, ToolError } from '../process.js';

const USAGE = 'usage: standins azure --seed FILE [--port N]   (gcp: not yet)';

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

async function runAzure(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (values.seed === undefined) throw new ToolError(`azure needs --seed FILE\n${USAGE}`);
  const seed = readSeed(values.seed);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !Number.isInteger(port))
    throw new ToolError(`--port ${values.port} is not a port`);
  const caDir = mkdtempSync(path.join(tmpdir(), 'drift-standin-'));
  process.once('exit', () => rmSync(caDir, { recursive: true, force: true }));
  const standIn = await startAzureStandIn({
    seed,
    ca: createTestCertificateAuthority(caDir),
    ...(port !== undefined ? { port } : {}),
  });
  // A signal may arrive twice (to the process group, and relayed by tsx); stop once, exit 0.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void standIn.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ endpoint: standIn.endpoint, env: standIn.env })}\n`);
}

await runMain(async () => {
  const [cloud, ...rest] = process.argv.slice(2);
  if (cloud === 'azure') return runAzure(rest);
  if (cloud === 'gcp') throw new ToolError(`the gcp stand-in is not there yet\n${USAGE}`);
  throw new ToolError(USAGE);
});
