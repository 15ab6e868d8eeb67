#!/usr/bin/env -S npx tsx
// Installs (only when needed) and prints the pinned toolchain.
import { runMain } from '../process.js';
import { ensureTool } from './ensure.js';
import { GO_TOOLS } from './go-tools.js';
import { ensureCurrentLtsNode, ensureLambdaNode } from './node-lines.js';
import { ensurePostgres } from './postgres.js';
import { ensurePythonTools } from './python-env.js';

await runMain(async () => {
  for (const tool of GO_TOOLS) {
    const ensured = await ensureTool(tool);
    process.stdout.write(`${tool.name} ${ensured.version} ${ensured.path}\n`);
  }
  const python = await ensurePythonTools();
  process.stdout.write(`moto_server ${python.motoServer}\ncfn-lint ${python.cfnLint}\n`);
  process.stdout.write(`node (Lambda line) ${await ensureLambdaNode()}\n`);
  process.stdout.write(`node (current LTS) ${await ensureCurrentLtsNode()}\n`);
  const postgres = await ensurePostgres();
  process.stdout.write(`postgresql ${postgres.version} ${postgres.bindir}\n`);
});
