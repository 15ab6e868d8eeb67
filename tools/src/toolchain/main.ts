#!/usr/bin/env -S npx tsx
// Installs (only when needed) and prints the pinned policy toolchain.
import { runMain } from '../process.js';
import { ensureTool } from './ensure.js';
import { GO_TOOLS } from './go-tools.js';
import { ensureLambdaNode } from './lambda-node.js';
import { ensureMotoServer } from './python-env.js';

await runMain(async () => {
  for (const tool of GO_TOOLS) {
    const ensured = await ensureTool(tool);
    process.stdout.write(`${tool.name} ${ensured.version} ${ensured.path}\n`);
  }
  process.stdout.write(`moto_server ${await ensureMotoServer()}\n`);
  process.stdout.write(`lambda-node ${await ensureLambdaNode()}\n`);
});
