// The README's "try it without a Google Cloud account", as a user runs it: the
// stand-in command started on the sample export, its one JSON line read, and
// `drift-detective-gcp sweep` given nothing but the env it printed (plus PATH,
// HOME and a state file). The findings then come back from the admin API and
// through the official client's listFindings.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGcpClients } from '@drift-detective/provider-gcp';
import { describe, expect, it } from 'vitest';
import { adapter, PUBLIC_BUCKET, SAMPLE_PATH, tempDir, type SccFinding } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const tsxCli = createRequire(path.join(ROOT, 'tools', 'package.json')).resolve('tsx/cli');
const MAIN = path.join(ROOT, 'tools', 'src', 'standins', 'main.ts');

interface Ready {
  readonly endpoint: string;
  readonly admin: string;
  readonly env: Record<string, string>;
}

describe('trying the GCP adapter on the stand-in, as the README says', () => {
  it('sweeps the sample with only the printed env: the findings are in the stand-in', async () => {
    const tool = spawn(
      process.execPath,
      [tsxCli, '--conditions=development', MAIN, 'gcp', '--seed', SAMPLE_PATH],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const [line] = (await once(createInterface({ input: tool.stdout }), 'line')) as [string];
      const ready = JSON.parse(line) as Ready;
      const dir = await tempDir('drift-gcp-try-');
      const sweep = await adapter(['sweep', '--state', path.join(dir, 'state.db')], {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        ...ready.env,
      });
      expect(sweep.code, sweep.stderr).toBe(0);

      const answer = await fetch(`${ready.admin}/_standin/findings`);
      const findings = (await answer.json()) as SccFinding[];
      expect(findings).toHaveLength(12);
      expect(findings.filter((f) => f.state === 'ACTIVE')).toHaveLength(12);
      expect(findings.map((f) => f.sourceProperties['ruleId'])).toContain('DD-STORAGE-002');

      // The same findings, read with the official client as any SCC consumer would.
      const clients = createGcpClients({
        endpoint: ready.endpoint,
        plaintext: true,
        requestTimeoutMs: 5000,
      });
      try {
        const [listed] = await clients.scc.listFindings(
          {
            parent: `organizations/${ready.env['DRIFT_GCP_ORGANIZATION']}/sources/-`,
            pageSize: 1000,
          },
          { autoPaginate: false },
        );
        const names = listed.map((r) => r.finding?.name).sort();
        expect(names).toEqual(findings.map((f) => f.name).sort());
        expect(
          listed.some(
            (r) =>
              r.finding?.resourceName === PUBLIC_BUCKET && r.finding.category === 'DD-STORAGE-002',
          ),
        ).toBe(true);
      } finally {
        await clients.close();
      }
    } finally {
      tool.kill('SIGTERM');
      await once(tool, 'exit');
    }
  });
});
