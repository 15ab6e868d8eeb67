#!/usr/bin/env node
// Runs the built Azure adapter process (apps/azure-adapter/dist/process). Build
// it with `npx nx run azure-adapter:build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/process/main.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'drift-detective-azure is not built yet: run `npx nx run azure-adapter:build`.\n',
  );
  process.exit(2);
}
await import(entry.href);
