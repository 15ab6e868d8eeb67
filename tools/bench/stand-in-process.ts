// A cloud's stand-in in a process of its own, seeded with the resources an
// event benchmark changes (event-resources.ts), as the cloud is a process of
// its own: its CPU is not the adapter's (the time its answers take still is,
// as the cloud's would be). Prints one JSON line ({"env": {...}}) once it
// listens, and closes on SIGTERM.
//   npx tsx --conditions=development tools/bench/stand-in-process.ts gcp|azure
import { startAzureStandIn, startGcpStandIn } from '@drift-detective/testing';
import { azureEventResources, gcpEventResources } from './event-resources.js';

const cloud = process.argv[2];
const standIn =
  cloud === 'gcp'
    ? await startGcpStandIn({ seed: gcpEventResources().seed })
    : cloud === 'azure'
      ? await startAzureStandIn({ seed: azureEventResources().seed })
      : undefined;
if (standIn === undefined) throw new Error(`no stand-in process for '${cloud ?? ''}'`);
process.stdout.write(`${JSON.stringify({ env: standIn.env })}\n`);
process.once('SIGTERM', () => {
  void standIn.close().then(() => process.exit(0));
});
