// The container build file against what it runs: the image's entry is the
// built service, on the project's Node.js line, started the way the image
// starts it (its ENV, Cloud Run's PORT) and answering Cloud Run's probes on
// every address. No container engine runs here: the file's contract is
// checked, and its entry run as a process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  freePort,
  startGcpStandIn,
  startNodeScript,
  waitFor,
  type GcpStandIn,
} from '@drift-detective/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterEnv, pushEnv, pushSigner, sampleRecords, tempDir, toNdjson } from './support.js';

const APP = path.resolve(import.meta.dirname, '..');
const ROOT = path.resolve(APP, '..', '..');
const dockerfile = readFileSync(path.join(APP, 'Dockerfile'), 'utf8');

/** The JSON-array form of an instruction (`ENTRYPOINT ["node", "…"]`). */
function execForm(instruction: string): string[] {
  const line = new RegExp(`^${instruction} (\\[.*\\])$`, 'm').exec(dockerfile)?.[1];
  if (line === undefined) throw new Error(`the Dockerfile has no ${instruction} in exec form`);
  return JSON.parse(line) as string[];
}

/**
 * The final stage's ENV: its continuation lines, skipping the comment lines
 * Docker removes from inside an instruction.
 */
function finalEnv(): Record<string, string> {
  const lines = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).split('\n');
  const start = lines.findIndex((line) => line.startsWith('ENV '));
  const env: Record<string, string> = {};
  for (let i = start; i >= 0 && i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (line.startsWith('#')) continue;
    const match = /^(?:ENV )?([A-Z_]+)=(\S+?)\s*(\\?)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) break;
    env[match[1]] = match[2];
    if (match[3] !== '\\') break;
  }
  return env;
}

describe('apps/gcp-adapter/Dockerfile', () => {
  let standIn: GcpStandIn;
  beforeAll(async () => {
    standIn = await startGcpStandIn({ seed: toNdjson(sampleRecords()) });
  });
  afterAll(async () => standIn.close());

  it('builds on the project’s Node.js line and runs the built service', () => {
    const nvmrc = readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
    expect(/^ARG NODE_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(nvmrc);
    const [node, entry] = execForm('ENTRYPOINT');
    expect(node).toBe('node');
    expect(entry).toBe('apps/gcp-adapter/dist/main.js');
    expect(execForm('CMD')).toEqual(['serve']);
    // The entry the image runs is the one the build writes, and what the bin runs.
    const bin = readFileSync(path.join(APP, 'bin', 'drift-detective-gcp.js'), 'utf8');
    expect(bin).toContain("'../dist/main.js'");
    expect(finalEnv()).toMatchObject({
      DRIFT_GCP_ADDRESS: '0.0.0.0',
      DRIFT_POLICY_BUNDLE: '/app/dist/policies',
    });
  });

  it('starts as the image starts it: on $PORT, on every address, ready for Cloud Run’s probes', async () => {
    const dir = await tempDir('drift-gcp-container-');
    const signer = await pushSigner(dir);
    const port = await freePort();
    const imageEnv = finalEnv();
    const env = adapterEnv(standIn, path.join(dir, 'state.db'), {
      ...pushEnv(signer),
      PORT: String(port),
      DRIFT_GCP_ADDRESS: imageEnv['DRIFT_GCP_ADDRESS'],
      DRIFT_DEAD_LETTER_FILE: path.join(dir, 'dead-letter.ndjson'),
    });
    const [, entry, ...args] = [...execForm('ENTRYPOINT'), ...execForm('CMD')];
    const service = startNodeScript(path.join(ROOT, entry!), args, env);
    try {
      await waitFor(
        'the service to be ready',
        async () => {
          const ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
          return ready?.status === 200 ? true : undefined;
        },
        20_000,
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // 0.0.0.0: reachable on the host's other addresses too, as Cloud Run's front end needs.
      const log = service.stderr();
      expect(log).toMatch(/"host":"0\.0\.0\.0"/);
      expect(log).toMatch(new RegExp(`"port":${port}`));
    } finally {
      service.child.kill('SIGTERM');
      const exit = await service.exited;
      expect(exit.code).toBe(0);
    }
  });
});
