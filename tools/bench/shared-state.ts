// Throughput of the AWS event path as deployed: `drift-detective-aws worker`
// processes on one SQS queue (moto_server), with their state on SQLite (one
// worker, the embedded default) or on one PostgreSQL shared by N workers.
// Each run drains its own queue of change events (half of them with a finding
// to publish); its rate is measured between 10 % and 90 % drained, so process
// start-up is not counted. CPU seconds per part (workers, PostgreSQL,
// moto_server) over the same window say where the limit is.
//   npx nx run aws-adapter:build && npx tsx --conditions=development tools/bench/shared-state.ts [events] [workers]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  bucketChangeEventText,
  REGION,
  TEST_CREDENTIALS,
} from '@drift-detective/provider-aws/testing';
import { startMotoServer, startPostgres } from '@drift-detective/testing';
import { workspaceRoot } from './paths.js';

const events = Number(process.argv[2] ?? 2000);
const workerCount = Number(process.argv[3] ?? 4);
const bin = path.join(workspaceRoot, 'apps', 'aws-adapter', 'bin', 'drift-detective-aws.js');
const ticksPerSecond = 100; // USER_HZ on Linux

const [moto, postgres] = await Promise.all([startMotoServer(), startPostgres()]);
const sqs = new SQSClient({
  endpoint: moto.endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Processes whose command line contains `needle`. */
function pidsOf(needle: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    });
}

async function filledQueue(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }),
  );
  if (!QueueUrl) throw new Error('no queue URL');
  for (let i = 0; i < events; i += 10) {
    const entries = Array.from({ length: Math.min(10, events - i) }, (_, j) => ({
      Id: String(j),
      // Half the buckets public: a finding to publish for each of those.
      MessageBody: bucketChangeEventText(`${name}-${i + j}`, (i + j) % 2 === 0),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  }
  return QueueUrl;
}

async function held(queueUrl: string): Promise<number> {
  const { Attributes: a } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(a?.['ApproximateNumberOfMessages']) +
    Number(a?.['ApproximateNumberOfMessagesNotVisible'])
  );
}

interface RunResult {
  readonly label: string;
  readonly eventsPerSecond: number;
  /** Cores used over the window, per part. */
  readonly cores: { workers: number; postgres: number; moto: number };
}

async function run(label: string, count: number, state: NodeJS.ProcessEnv): Promise<RunResult> {
  const queueUrl = await filledQueue(label.replace(/\W+/g, '-'));
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    LOG_LEVEL: 'warn',
    ...state,
  };
  const workers: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, [bin, 'worker', '--queue-url', queueUrl], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const parts = () => ({
    workers: workers.reduce((sum, w) => sum + cpuSeconds(w.pid ?? 0), 0),
    postgres: pidsOf('postgres').reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    moto: pidsOf('moto_server').reduce((sum, pid) => sum + cpuSeconds(pid), 0),
  });
  const low = Math.floor(events * 0.9);
  const high = Math.ceil(events * 0.1);
  let window: { at: number; left: number; cpu: ReturnType<typeof parts> } | undefined;
  let left = events;
  while (left > high) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = await held(queueUrl);
    if (!window && left <= low) window = { at: performance.now(), left, cpu: parts() };
  }
  const end = { at: performance.now(), left, cpu: parts() };
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
  if (!window) throw new Error(`${label}: the queue never drained below 90 %`);
  const seconds = (end.at - window.at) / 1000;
  const used = (part: keyof RunResult['cores']) => (end.cpu[part] - window.cpu[part]) / seconds;
  return {
    label,
    eventsPerSecond: (window.left - end.left) / seconds,
    cores: { workers: used('workers'), postgres: used('postgres'), moto: used('moto') },
  };
}

try {
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-bench-state-'));
  const runs: [string, number, () => Promise<NodeJS.ProcessEnv>][] = [
    ['1 worker, SQLite', 1, async () => ({ DRIFT_STATE_PATH: path.join(dir, 'state.db') })],
    ['1 worker, PostgreSQL', 1, async () => ({ DRIFT_STATE_URL: await postgres.createDatabase() })],
    [
      `${workerCount} workers, PostgreSQL`,
      workerCount,
      async () => ({ DRIFT_STATE_URL: await postgres.createDatabase() }),
    ],
  ];
  process.stdout.write(
    `${events} change events per run (half with a finding to publish), moto_server as SQS and Security Hub\n` +
      '| run | events/s | × 1 worker on SQLite | cores: workers | PostgreSQL | moto_server |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: |\n',
  );
  let baseline: number | undefined;
  for (const [label, count, state] of runs) {
    const r = await run(label, count, await state());
    baseline ??= r.eventsPerSecond;
    process.stdout.write(
      `| ${r.label} | ${r.eventsPerSecond.toFixed(1)} | ${(r.eventsPerSecond / baseline).toFixed(2)} | ` +
        `${r.cores.workers.toFixed(2)} | ${r.cores.postgres.toFixed(2)} | ${r.cores.moto.toFixed(2)} |\n`,
    );
  }
} finally {
  sqs.destroy();
  await Promise.all([moto.stop(), postgres.stop()]);
}
