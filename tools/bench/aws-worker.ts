// Measures the AWS worker's throughput against moto_server: change events per
// second from an SQS queue through normalize → evaluate → state → Security Hub
// → delete, beside a baseline measured in the same run (the bare SQS receive +
// delete loop over the same number of messages, the floor any SQS consumer pays).
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
import { silentLogger } from '@drift-detective/pipeline';
import { PolicyEngine } from '@drift-detective/policy-engine';
import { awsWorker, resolveAwsConfig, SecurityHubPublisher } from '@drift-detective/provider-aws';
import {
  bucketChangeEventText,
  endpointClients,
  REGION,
  TEST_CREDENTIALS,
} from '@drift-detective/provider-aws/testing';
import { startMotoServer } from '@drift-detective/testing';
import { policyDistDir } from './paths.js';

const events = Number(process.argv[2] ?? 400);
const moto = await startMotoServer();
const sqs = new SQSClient({
  endpoint: moto.endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

async function queueOf(name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error('no queue URL');
  for (let i = 0; i < events; i += 10) {
    const entries = Array.from({ length: Math.min(10, events - i) }, (_, j) => ({
      Id: String(j),
      // Half the buckets public: a finding to publish for each of those.
      MessageBody: bucketChangeEventText(`bench-${i + j}`, (i + j) % 2 === 0),
    }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  }
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
  start = performance.now();
  const worker = awsWorker({
    config,
    clients,
    signal: stop.signal,
    deps: {
      engine: await PolicyEngine.load(policyDistDir),
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

  const rate = (ms: number) => ((events / ms) * 1000).toFixed(0);
  process.stdout.write(
    `${events} events (half with a finding), concurrency ${config.concurrency}\n` +
      `baseline  SQS receive + delete: ${rate(baselineMs)} events/s\n` +
      `worker    judged and published:  ${rate(workerMs)} events/s (${summary.acked} acked)\n` +
      `ratio     worker time / baseline time: ${(workerMs / baselineMs).toFixed(1)}×\n`,
  );
} finally {
  await moto.stop();
}
