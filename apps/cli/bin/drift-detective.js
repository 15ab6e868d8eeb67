#!/usr/bin/env node
// Runs the built CLI (apps/cli/dist). Build it with `npx nx run cli:build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'drift-detective is not built yet: run `npx nx run cli:build` (or `make demo`).\n',
  );
  process.exit(2);
}
await import(entry.href);
