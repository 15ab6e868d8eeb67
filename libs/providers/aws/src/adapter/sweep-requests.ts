import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import {
  readSweepRequest,
  sweepRequestText,
  type SweepRequest,
  type SweepRequests,
} from '@drift-detective/pipeline';
import { NormalizeError } from '@drift-detective/resource-model';
import { isRecord } from '../decode/values.js';
import { abortOptions } from '../sdk/abort.js';
import { regionOfQueue } from './clients.js';
import { awsShardName, awsShards, sweepAwsShard, type AwsSweepOptions } from './sweep.js';

/**
 * The sweep request an SQS message carries (`{Body, MessageId}` from the
 * worker's receive or Lambda's record), or undefined: a message whose Body is
 * no JSON object is left to the inventory, which names what is wrong with it.
 */
export function awsSweepRequestOf(body: unknown, source: string): SweepRequest | undefined {
  if (!isRecord(body) || typeof body['Body'] !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body['Body']);
  } catch {
    return undefined;
  }
  return readSweepRequest(parsed, source);
}

/**
 * Sweep requests as an AWS worker takes them from its queue: each names one
 * shard of the worker's own settings (an account and region, or the
 * aggregator), swept under its lease from its checkpoint on — the same sweep
 * id as `aws sweep` uses, so both share checkpoints and never sweep one shard
 * twice at once. A shard outside the settings is refused: whoever may send to
 * the queue must not widen what the worker reads.
 */
export function awsSweepRequests(options: AwsSweepOptions): SweepRequests {
  let shards: ReturnType<typeof awsShards> | undefined;
  return {
    cloud: 'aws',
    signal: options.signal,
    requestOf: awsSweepRequestOf,
    run: async (request) => {
      // Read once: the default region is asked of the SDK's chain.
      shards ??= awsShards(options.config, options.clients);
      const known = await shards;
      const shard = known.find((s) => awsShardName(s) === request.shard);
      if (!shard) {
        const names = known.map(awsShardName).join(', ');
        throw new NormalizeError(
          request.shard,
          `sweep request names a shard these settings do not sweep (they sweep: ${names})`,
        );
      }
      return sweepAwsShard(options, shard);
    },
  };
}

/** SendMessageBatch takes at most 10 entries. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html */
const BATCH = 10;

/**
 * `aws sweep --enqueue`: one sweep request per shard of the settings, sent to
 * the worker queue for any worker to take. Throws when SQS refuses any entry
 * (SendMessageBatch answers 200 with per-entry failures): a shard never asked
 * for would go unswept without a word.
 */
export async function enqueueAwsSweep(options: {
  readonly config: AwsSweepOptions['config'];
  readonly clients: AwsSweepOptions['clients'];
  readonly queueUrl: string;
  readonly now: Date;
  readonly signal?: AbortSignal | undefined;
}): Promise<string[]> {
  const names = (await awsShards(options.config, options.clients)).map(awsShardName);
  const sqs = options.clients.sqs(await regionOfQueue(options.clients, options.queueUrl));
  const requestedAt = options.now.toISOString();
  for (let start = 0; start < names.length; start += BATCH) {
    const batch = names.slice(start, start + BATCH);
    const answer = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: batch.map((shard, index) => ({
          Id: String(index),
          MessageBody: sweepRequestText({ cloud: 'aws', shard, requestedAt }),
        })),
      }),
      abortOptions(options.signal),
    );
    const failed = answer.Failed ?? [];
    if (failed.length > 0) {
      const named = failed
        .map((f) =>
          `${batch[Number(f.Id)] ?? f.Id}: ${f.Code ?? 'refused'} ${f.Message ?? ''}`.trim(),
        )
        .join('; ');
      throw new Error(`SQS SendMessageBatch refused ${failed.length} sweep requests: ${named}`);
    }
  }
  return names;
}
