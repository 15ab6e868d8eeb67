import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AwsConfigError,
  DEFAULT_CONCURRENCY,
  DEFAULT_STATE_PATH,
  resolveAwsConfig,
} from '../../src/adapter/config.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '../../src/adapter/timeouts.js';

function configFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'drift-aws-config-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('resolveAwsConfig', () => {
  it('has defaults that need nothing set', () => {
    const config = resolveAwsConfig({ env: {} });
    expect(config).toMatchObject({
      regions: [],
      homeRegion: null,
      aggregator: null,
      queueUrl: null,
      statePath: DEFAULT_STATE_PATH,
      dryRun: false,
      concurrency: DEFAULT_CONCURRENCY,
    });
  });

  it('takes a flag over the environment over the file', () => {
    const file = configFile(
      'drift.yaml',
      'regions: [eu-west-1, eu-central-1]\nconcurrency: 2\nqueueUrl: https://sqs.eu-west-1.amazonaws.com/1/from-file\nstate: state/drift.db\n',
    );
    const env = { DRIFT_AWS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/from-env' };
    const config = resolveAwsConfig({ file, env, flags: { concurrency: '8' } });
    expect(config.regions).toEqual(['eu-west-1', 'eu-central-1']);
    expect(config.homeRegion).toBe('eu-west-1');
    expect(config.concurrency).toBe(8);
    expect(config.queueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/1/from-env');
    // Relative to the file that names it, not to wherever the worker was started.
    expect(config.statePath).toBe(path.join(path.dirname(file), 'state', 'drift.db'));
  });

  it('tells a home region that was set from one taken by default', () => {
    const file = configFile('home.yaml', 'homeRegion: eu-central-1\n');
    for (const sources of [
      { env: {}, flags: { homeRegion: 'eu-central-1', regions: 'eu-west-1' } },
      { env: { DRIFT_AWS_HOME_REGION: 'eu-central-1', DRIFT_AWS_REGIONS: 'eu-west-1' } },
      { env: { DRIFT_AWS_REGIONS: 'eu-west-1' }, file },
    ]) {
      expect(resolveAwsConfig(sources)).toMatchObject({
        homeRegion: 'eu-central-1',
        homeRegionSet: true,
      });
    }
    expect(resolveAwsConfig({ env: { DRIFT_AWS_REGIONS: 'eu-west-1,us-east-1' } })).toMatchObject({
      homeRegion: 'eu-west-1',
      homeRegionSet: false,
    });
    expect(resolveAwsConfig({ env: {} })).toMatchObject({ homeRegion: null, homeRegionSet: false });
  });

  it('reads lists from repeated flags and comma-separated text, and JSON files via DRIFT_CONFIG', () => {
    const file = configFile('drift.json', '{"dryRun": true, "resourceTypes": ["AWS::S3::Bucket"]}');
    const config = resolveAwsConfig({
      env: { DRIFT_CONFIG: file, DRIFT_AWS_REGIONS: 'us-east-1, us-west-2,,us-east-1' },
      flags: { resourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy,AWS::IAM::User'] },
    });
    expect(config.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(config.resourceTypes).toEqual(['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::User']);
    expect(config.dryRun).toBe(true);
  });

  it.each([
    [
      { flags: { concurrency: '0' } },
      /--concurrency must be a whole number of at least 1, not '0'/,
    ],
    [{ env: { DRIFT_MAX_ATTEMPTS: 'many' } }, /DRIFT_MAX_ATTEMPTS must be a whole number/],
    [{ env: { DRIFT_DRY_RUN: 'maybe' } }, /DRIFT_DRY_RUN must be true or false, not 'maybe'/],
    [{ env: { DRIFT_AWS_REGIONS: ' , ' } }, /DRIFT_AWS_REGIONS is empty/],
  ])('names the input and the problem: %o', (sources, message) => {
    expect(() => resolveAwsConfig({ env: {}, ...sources })).toThrow(message);
  });

  it('times every AWS call: 5 s to connect and 30 s for the answer unless set', () => {
    expect(resolveAwsConfig({ env: {} })).toMatchObject({
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    });
    expect([DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS]).toEqual([5_000, 30_000]);
    const file = configFile('timeouts.yaml', 'connectTimeoutMs: 2500\nrequestTimeoutMs: 9000\n');
    expect(
      resolveAwsConfig({
        file,
        env: { DRIFT_AWS_CONNECT_TIMEOUT_MS: '1000' },
        flags: { requestTimeoutMs: '12000' },
      }),
    ).toMatchObject({ connectTimeoutMs: 1_000, requestTimeoutMs: 12_000 });
    expect(resolveAwsConfig({ env: {}, file })).toMatchObject({
      connectTimeoutMs: 2_500,
      requestTimeoutMs: 9_000,
    });
    expect(() => resolveAwsConfig({ env: { DRIFT_AWS_REQUEST_TIMEOUT_MS: '0' } })).toThrow(
      /DRIFT_AWS_REQUEST_TIMEOUT_MS must be a whole number of at least 1, not '0'/,
    );
    expect(() => resolveAwsConfig({ env: {}, flags: { connectTimeoutMs: '5s' } })).toThrow(
      /--connect-timeout-ms must be a whole number of at least 1, not '5s'/,
    );
  });

  it('rejects a file it cannot use, naming it', () => {
    const unknown = configFile('drift.yaml', 'regoins: [us-east-1]\n');
    expect(() => resolveAwsConfig({ env: {}, file: unknown })).toThrow(
      /drift\.yaml: unknown setting 'regoins'/,
    );
    const list = configFile('list.yaml', '- us-east-1\n');
    expect(() => resolveAwsConfig({ env: {}, file: list })).toThrow(/must hold a mapping/);
    const broken = configFile('broken.yaml', 'regions: [us-east-1\n');
    expect(() => resolveAwsConfig({ env: {}, file: broken })).toThrow(AwsConfigError);
    const typed = configFile('typed.yaml', 'concurrency: -3\n');
    expect(() => resolveAwsConfig({ env: {}, file: typed })).toThrow(
      /typed\.yaml: concurrency must be a whole number/,
    );
    expect(() => resolveAwsConfig({ env: {}, file: '/nonexistent/drift.yaml' })).toThrow(
      /config file \/nonexistent\/drift\.yaml cannot be read: ENOENT/,
    );
  });
});
