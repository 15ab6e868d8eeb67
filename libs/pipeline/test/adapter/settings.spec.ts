import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ADAPTER_SETTINGS,
  parseAdapterArgs,
  readAdapterSettings,
  SettingsError,
  UsageError,
  type SettingsSpec,
} from '../../src/index.js';

const CLOUD = {
  zones: { kind: 'list', flag: 'zones', env: 'DRIFT_TEST_ZONES', file: 'zones' },
  endpoint: { kind: 'string', flag: 'endpoint', env: 'DRIFT_TEST_ENDPOINT', file: 'endpoint' },
} as const satisfies SettingsSpec;

function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'adapter-settings-'));
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

describe('readAdapterSettings', () => {
  it('takes a flag over the environment over the file, for common and cloud settings alike', () => {
    const config = file('drift.yaml', 'zones: [a, b]\nconcurrency: 4\nstate: state/drift.db\n');
    const { common, cloud } = readAdapterSettings(CLOUD, {
      file: config,
      env: { DRIFT_CONCURRENCY: '8', DRIFT_TEST_ENDPOINT: 'https://x' },
      flags: { zones: ['c', 'c,d'] },
    });
    expect(cloud).toEqual({ zones: ['c', 'd'], endpoint: 'https://x' });
    expect(common.concurrency).toBe(8);
    // A relative path in a file is relative to that file.
    expect(common.statePath).toBe(path.join(path.dirname(config), 'state/drift.db'));
    expect(common).toMatchObject({ dryRun: false, metricsPort: null, maxAttempts: 5 });
  });

  it('names the file and key of a setting it cannot use', () => {
    expect(() =>
      readAdapterSettings(CLOUD, { env: {}, file: file('a.yaml', 'zonez: [a]\n') }),
    ).toThrow(/a\.yaml: unknown setting 'zonez'/);
    expect(() => readAdapterSettings(CLOUD, { env: { DRIFT_METRICS_PORT: '70000' } })).toThrow(
      /DRIFT_METRICS_PORT must be a port \(1–65535\), not 70000/,
    );
    expect(() => readAdapterSettings(CLOUD, { env: {}, flags: { dryRun: 'maybe' } })).toThrow(
      SettingsError,
    );
  });

  it('takes the state from --state, else DRIFT_STATE_URL, else DRIFT_STATE_PATH, else the default file', () => {
    const url = 'postgresql://drift:pw@db.internal:5432/drift?sslmode=verify-full';
    const state = (sources: Parameters<typeof readAdapterSettings>[1]) =>
      readAdapterSettings(CLOUD, sources).common.statePath;
    expect(state({ env: {} })).toBe('drift-state.db');
    expect(state({ env: { DRIFT_STATE_PATH: '/tmp/s.db' } })).toBe('/tmp/s.db');
    // An image's own file (the GCP image sets DRIFT_STATE_PATH) gives way to the shared URL.
    expect(state({ env: { DRIFT_STATE_PATH: '/tmp/s.db', DRIFT_STATE_URL: url } })).toBe(url);
    expect(state({ env: { DRIFT_STATE_URL: url }, flags: { statePath: 'mine.db' } })).toBe(
      'mine.db',
    );
    // A URL in a config file is not a path relative to that file.
    expect(state({ env: {}, file: file('drift.yaml', `stateUrl: ${url}\n`) })).toBe(url);
    expect(state({ env: {}, file: file('drift.yaml', `state: ${url}\n`) })).toBe(url);
    expect(() => state({ env: { DRIFT_STATE_URL: 'mysql://root:pw@db/x' } })).toThrow(
      "DRIFT_STATE_URL must be a postgresql:// URL, not 'mysql://root@db/x'",
    );
  });
});

describe('parseAdapterArgs', () => {
  it('gives one flag per setting, lists repeated, and --config', () => {
    const spec = { ...ADAPTER_SETTINGS, ...CLOUD };
    const parsed = parseAdapterArgs(
      ['--zones', 'a', '--zones', 'b', '--dry-run', '--config', 'c.yaml'],
      spec,
    );
    expect(parsed).toEqual({
      flags: { zones: ['a', 'b'], dryRun: true },
      configFile: 'c.yaml',
      help: false,
    });
    expect(() => parseAdapterArgs(['--zone', 'a'], spec)).toThrow(UsageError);
  });
});
