// Measures the AWS worker's throughput against moto_server: change events per
// second from an SQS queue through normalize → evaluate → state → Security Hub
// → delete, beside a baseline measured in the same run (the bare SQS receive +
// delete loop over the same number of messages, the floor any SQS consumer pays).
// Then the latency the worker adds at a sustained rate, half the ceiling it just
// reached: p50 and p99 of each event's receipt-to-ack time, and of its own part
// (drift_event_own_duration_seconds: its publish calls to the hub taken off,
// moto_server here, Security Hub in production).
//   npx tsx --conditions=development tools/bench/aws-worker.ts [events]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SqliteStateStore } from '@drift-detective/findings';
import { createMemoryMetrics, silentLogger } from '@drift-detective/pipeline';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { awsWorker, resolveAwsConfig, SecurityHubPublisher } from '@drift-detective/provider-aws';
import {
  bucketChangeEventText,
  endpointClients,
  REGION,
  TEST_CREDENTIALS,
} from '@drift-detective/provider-aws/testing';
import { startMotoServer } from '@drift-detective/testing';
import { percentiles, writeEventResults } from './event-results.js';
import { policyDistDir } from './paths.js';

const events = Number(process.argv[2] ?? 400);
const moto = await startMotoServer();
const sqs = new SQSClient({
  endpoint: moto.endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

/** Sends events `from`…`from + count` (half of them public buckets: a finding each), ten a request. */
async function sendEvents(QueueUrl: string, prefix: string, from: number, count: number) {
  for (let i = from; i < from + count; i += 10) {
    const entries = Array.from({ length: Math.min(10, from + count - i) }, (_, j) => ({
      Id: String(j),
      MessageBody: bucketChangeEventText(`${prefix}-${i + j}`, (i + j) % 2 === 0),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  }
}

async function queueOf(name: string, filled = true): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error('no queue URL');
  if (filled) await sendEvents(QueueUrl, 'bench', 0, events);
  return QueueUrl;
}

async function held(queueUrl: string): Promise<number> {
  const answer = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(answer.Attributes?.['ApproximateNumberOfMessages']) +
    Number(answer.Attributes?.['ApproximateNumberOfMessagesNotVisible'])
  );
}

try {
  // Baseline: receive and delete, nothing else.
  const bare = await queueOf('bench-baseline');
  let start = performance.now();
  for (let done = 0; done < events;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: bare, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) continue;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: bare,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    done += Messages.length;
  }
  const baselineMs = performance.now() - start;

  // The worker, wired as `drift-detective aws worker` wires it.
  const queueUrl = await queueOf('bench-worker');
  const dir = await mkdtemp(path.join(tmpdir(), 'drift-bench-'));
  const store = new SqliteStateStore(path.join(dir, 'state.db'));
  const clients = endpointClients(moto.endpoint);
  const config = resolveAwsConfig({ env: {}, flags: { regions: [REGION], queueUrl } });
  const stop = new AbortController();
  // Loaded before the clock starts: the ceiling is the worker's, not the policy's compile.
  const engine = await PolicyEngine.load(policyDistDir);
  start = performance.now();
  const worker = awsWorker({
    config,
    clients,
    signal: stop.signal,
    deps: {
      engine,
      store,
      logger: silentLogger,
      publisher: new SecurityHubPublisher({
        clientFor: (region, account) => clients.securityHub(region, account),
        homeRegion: REGION,
      }),
    },
  });
  while ((await held(queueUrl)) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  const workerMs = performance.now() - start;
  stop.abort();
  const summary = await worker;
  await store.close();
  clients.destroy();

  // Sustained: events arrive at half the ceiling just measured, ten at a time.
  const ceiling = (events / workerMs) * 1000;
  const sustained = Math.max(1, ceiling / 2);
  const liveQueue = await queueOf('bench-latency', false);
  const liveStore = new SqliteStateStore(path.join(dir, 'latency.db'));
  const liveClients = endpointClients(moto.endpoint);
  const metrics = createMemoryMetrics();
  const liveStop = new AbortController();
  const live = awsWorker({
    config: resolveAwsConfig({ env: {}, flags: { regions: [REGION], queueUrl: liveQueue } }),
    clients: liveClients,
    signal: liveStop.signal,
    deps: {
      engine: await PolicyEngine.load(policyDistDir),
      store: liveStore,
      logger: silentLogger,
      metrics,
      publisher: new SecurityHubPublisher({
        clientFor: (region, account) => liveClients.securityHub(region, account),
        homeRegion: REGION,
      }),
    },
  });
  const paced = performance.now();
  for (let sent = 0; sent < events; sent += 10) {
    const due = paced + (sent / sustained) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    await sendEvents(liveQueue, 'live', sent, Math.min(10, events - sent));
  }
  while (metrics.eventDurations.length < events) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  liveStop.abort();
  await live;
  await liveStore.close();
  liveClients.destroy();

  const rate = (ms: number) => ((events / ms) * 1000).toFixed(0);
  process.stdout.write(
    `baseline  SQS receive + delete: ${rate(baselineMs)} events/s; ` +
      `the worker ${rate(workerMs)} events/s (${summary.acked} acked), ` +
      `${(workerMs / baselineMs).toFixed(1)}× the baseline's time\n`,
  );
  await writeEventResults({
    cloud: 'aws',
    hub: 'Security Hub on moto_server (SQS too)',
    events,
    concurrency: config.concurrency,
    ceilingPerSecond: ceiling,
    sustainedPerSecond: sustained,
    receiptToAck: percentiles(metrics.eventDurations),
    own: percentiles(metrics.eventOwnDurations),
    hubCalls: metrics.publishDurations.length,
    quota:
      'Security Hub BatchImportFindings: 10 requests a second per account and Region, burst 30 (docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html)',
  });
} finally {
  await moto.stop();
}
