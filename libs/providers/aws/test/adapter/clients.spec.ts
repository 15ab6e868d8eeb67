// The adapter's SDK clients: the timeouts every one of them has, and where
// SQS calls go when an endpoint is configured.
import { DescribeConfigurationRecordersCommand } from '@aws-sdk/client-config-service';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  startFaultProxy,
  startMotoServer,
  withEnv,
  type MotoServer,
} from '@drift-detective/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients, sqsEndpointConfigured } from '../../src/adapter/clients.js';
import {
  configEventPath,
  endpointClients,
  REGION,
  TEST_CREDENTIALS,
} from '../../src/testing/index.js';

let moto: MotoServer;
beforeAll(async () => {
  moto = await startMotoServer();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(() => moto.reset());

/** No profile of the machine's may name an endpoint. */
const noProfile = {
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_PROFILE: undefined,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
};

/** The settings a client's NodeHttpHandler resolved at its first call. */
const handlerSettings = (client: { config: { requestHandler: unknown } }) =>
  (
    client.config.requestHandler as { httpHandlerConfigs(): Record<string, unknown> }
  ).httpHandlerConfigs();

describe('the clients', () => {
  it('give every service the connect and request timeouts, SQS its long poll on top', async () => {
    const clients = createAwsClients({
      emulator: { endpoint: moto.endpoint, credentials: TEST_CREDENTIALS, region: REGION },
      timeouts: { connectTimeoutMs: 1_234, requestTimeoutMs: 5_678 },
    });
    try {
      const { queueUrl } = await configEventPath(moto.endpoint);
      // One call each: the handler reads its settings at the first.
      await clients.sqs(REGION).send(new GetQueueAttributesCommand({ QueueUrl: queueUrl }));
      await clients.config(REGION).send(new DescribeConfigurationRecordersCommand({}));
      await clients.sts(REGION).send(new GetCallerIdentityCommand({}));
      await clients
        .securityHub(REGION)
        .send(new GetFindingsCommand({}))
        .catch(() => undefined);

      for (const client of [
        clients.config(REGION),
        clients.securityHub(REGION),
        clients.sts(REGION),
      ]) {
        expect(handlerSettings(client)).toMatchObject({
          connectionTimeout: 1_234,
          requestTimeout: 5_678,
          socketTimeout: 5_678,
          throwOnRequestTimeout: true,
        });
      }
      expect(handlerSettings(clients.sqs(REGION))).toMatchObject({
        connectionTimeout: 1_234,
        requestTimeout: 25_678,
        socketTimeout: 25_678,
        throwOnRequestTimeout: true,
      });
    } finally {
      clients.destroy();
    }
  });

  it('time out by default too: a library user gets 5 s to connect and 30 s for the answer', async () => {
    const clients = endpointClients(moto.endpoint);
    try {
      await clients.sts(REGION).send(new GetCallerIdentityCommand({}));
      expect(handlerSettings(clients.sts(REGION))).toMatchObject({
        connectionTimeout: 5_000,
        requestTimeout: 30_000,
        throwOnRequestTimeout: true,
      });
    } finally {
      clients.destroy();
    }
  });
});

describe('SQS and a configured endpoint', () => {
  it('sqsEndpointConfigured asks the SDK: AWS_ENDPOINT_URL_SQS or AWS_ENDPOINT_URL, unless ignored', async () => {
    const none = { ...noProfile, AWS_ENDPOINT_URL: undefined, AWS_ENDPOINT_URL_SQS: undefined };
    expect(await withEnv(none, sqsEndpointConfigured)).toBe(false);
    expect(
      await withEnv({ ...none, AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:1' }, sqsEndpointConfigured),
    ).toBe(true);
    expect(
      await withEnv({ ...none, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, sqsEndpointConfigured),
    ).toBe(true);
    expect(
      await withEnv(
        {
          ...none,
          AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
          AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        },
        sqsEndpointConfigured,
      ),
    ).toBe(false);
  });

  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('sends SQS calls to AWS_ENDPOINT_URL, not to the host of the queue URL, and warns nothing', async () => {
    // moto names its queues by its own address: the queue URL's host is moto, not the proxy.
    const { queueUrl } = await configEventPath(moto.endpoint);
    const proxy = await startFaultProxy({ target: moto.endpoint, plan: () => null });
    const env = {
      ...noProfile,
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ENDPOINT_URL_SQS: undefined,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    };
    try {
      await withEnv(env, async () => {
        const clients = createAwsClients({ sqsEndpointConfigured: await sqsEndpointConfigured() });
        try {
          await clients.sqs(REGION).send(new GetQueueAttributesCommand({ QueueUrl: queueUrl }));
        } finally {
          clients.destroy();
        }
      });
      expect(proxy.requests.map((r) => [r.service, r.operation])).toEqual([
        ['sqs', 'GetQueueAttributes'],
      ]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await proxy.stop();
    }
  });

  it('keeps the queue URL host when no endpoint is configured (an SQS VPC endpoint URL)', async () => {
    const { queueUrl } = await configEventPath(moto.endpoint);
    // The queue URL names a host (the proxy) that is not the SDK's regional endpoint.
    const proxy = await startFaultProxy({ target: moto.endpoint, plan: () => null });
    const viaProxy = queueUrl.replace(new URL(queueUrl).origin, proxy.endpoint);
    try {
      await withEnv(
        {
          ...noProfile,
          AWS_ENDPOINT_URL: undefined,
          AWS_ENDPOINT_URL_SQS: undefined,
          AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        },
        async () => {
          const clients = createAwsClients({
            sqsEndpointConfigured: await sqsEndpointConfigured(),
          });
          try {
            await clients.sqs(REGION).send(new GetQueueAttributesCommand({ QueueUrl: viaProxy }));
          } finally {
            clients.destroy();
          }
        },
      );
      expect(proxy.requests.map((r) => r.operation)).toEqual(['GetQueueAttributes']);
    } finally {
      await proxy.stop();
    }
  });
});
