#!/usr/bin/env node
// Runs the built GCP adapter process (apps/gcp-adapter/dist). Build it with
// `npx nx run gcp-adapter:build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'drift-detective-gcp is not built yet: run `npx nx run gcp-adapter:build`.\n',
  );
  process.exit(2);
}
await import(entry.href);
