#!/usr/bin/env node
// Runs the built AWS adapter process (apps/aws-adapter/dist/process). Build it
// with `npx nx run aws-adapter:build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/process/main.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'drift-detective-aws is not built yet: run `npx nx run aws-adapter:build`.\n',
  );
  process.exit(2);
}
await import(entry.href);
