// A cloud's stand-in in a process of its own, seeded with that cloud's sample,
// so that what it spends answering is not counted as the adapter's time in a
// benchmark: prints one JSON line ({"env": {...}}) once it listens, and closes
// on SIGTERM.
//   npx tsx --conditions=development tools/bench/stand-in-process.ts gcp|azure
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startAzureStandIn, startGcpStandIn } from '@drift-detective/testing';
import { workspaceRoot } from './paths.js';

const sample = (file: string) => readFileSync(path.join(workspaceRoot, 'samples', file), 'utf8');
const cloud = process.argv[2];
const standIn =
  cloud === 'gcp'
    ? await startGcpStandIn({ seed: sample('gcp/cloud-asset-export.ndjson') })
    : cloud === 'azure'
      ? await startAzureStandIn({ seed: JSON.parse(sample('azure/resource-graph-answer.json')) })
      : undefined;
if (standIn === undefined) throw new Error(`no stand-in process for '${cloud ?? ''}'`);
process.stdout.write(`${JSON.stringify({ env: standIn.env })}\n`);
process.once('SIGTERM', () => {
  void standIn.close().then(() => process.exit(0));
});
