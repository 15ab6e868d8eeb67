import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { nameFailedCalls } from '../sdk/call-errors.js';
import {
  DEFAULT_TIMEOUTS,
  LONG_POLL_ALLOWANCE_MS,
  requestHandlerOptions,
  type CallTimeouts,
} from './timeouts.js';

/**
 * The SDK clients the adapter talks through, one per service and region.
 * Each is built with no credentials and no endpoint of ours: the SDK's default
 * credential chain (environment, profile, SSO, container and instance roles)
 * and its standard endpoint variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html) decide.
 * Every client has connect and request timeouts (timeouts.ts), and names the
 * call in the errors of answers it cannot read or never got (call-errors.ts).
 */
export interface AwsClients {
  /** AWS Config of `account` (default: the adapter's own), through the member role for another. */
  config(region: string, account?: string): ConfigServiceClient;
  /**
   * Security Hub for the findings of `account`: the adapter's own credentials
   * for its own account, the member role assumed there for another one.
   */
  securityHub(region: string, account?: string): SecurityHubClient;
  sqs(region: string): SQSClient;
  /** STS as `account` (default: the adapter's own): GetCallerIdentity names whom a client acts as. */
  sts(region: string, account?: string): STSClient;
  /** The region the SDK resolves on its own (AWS_REGION, the profile); throws when none is set. */
  defaultRegion(): Promise<string>;
  destroy(): void;
}

/** Keys, as the SDK's credential providers give them. */
interface Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsClientOptions {
  /**
   * The role name to assume in another account to import its findings:
   * Security Hub takes a finding under the default product only from the
   * account it belongs to
   * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
   * Null: every finding goes out with the adapter's own credentials.
   */
  readonly memberRole?: string | null | undefined;
  /**
   * Tests only: an emulator's endpoint and keys in place of the environment's.
   * Deployments leave it out, so only the default chain supplies credentials.
   */
  readonly emulator?: { endpoint: string; credentials: Keys; region: string } | undefined;
  /** Per attempt of every call; default 5 s to connect, 30 s for the answer. */
  readonly timeouts?: CallTimeouts | undefined;
  /**
   * Whether the SDK has an endpoint configured for SQS (sqsEndpointConfigured):
   * then SQS calls go there, not to the host of the queue URL.
   */
  readonly sqsEndpointConfigured?: boolean | undefined;
}

type AnyClient = ConfigServiceClient | SecurityHubClient | SQSClient | STSClient;

/** The partition of a region: the ARN of a role to assume names it. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const { emulator } = options;
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const requestHandler = requestHandlerOptions(timeouts);
  const base = {
    requestHandler,
    ...(emulator ? { endpoint: emulator.endpoint, credentials: emulator.credentials } : {}),
  };
  const made = new Map<string, AnyClient>();
  const cached = <C extends AnyClient>(key: string, make: () => C): C => {
    let client = made.get(key);
    if (!client) {
      client = nameFailedCalls(make());
      made.set(key, client);
    }
    return client as C;
  };
  const ownSts = (region: string) =>
    cached(`sts/${region}`, () => new STSClient({ ...base, region }));
  let callerAccount: Promise<string> | undefined;
  const ownAccount = (region: string) => {
    callerAccount ??= ownSts(region)
      .send(new GetCallerIdentityCommand({}))
      .then((identity) => identity.Account ?? '')
      .catch((error: unknown) => {
        callerAccount = undefined;
        throw error;
      });
    return callerAccount;
  };
  const memberCredentials = (region: string, account: string): (() => Promise<Keys>) => {
    const own = emulator
      ? () => Promise.resolve(emulator.credentials)
      : fromNodeProviderChain({ clientConfig: { requestHandler } });
    const assumed = fromTemporaryCredentials({
      params: {
        RoleArn: `arn:${partitionOfRegion(region)}:iam::${account}:role/${options.memberRole}`,
        RoleSessionName: 'drift-detective',
      },
      ...(emulator ? { masterCredentials: emulator.credentials } : {}),
      clientConfig: {
        region,
        requestHandler,
        ...(emulator ? { endpoint: emulator.endpoint } : {}),
      },
    });
    // Asked on each request (the SDK caches): the own account keeps its own credentials.
    return async () => ((await ownAccount(region)) === account ? own() : assumed());
  };
  /** A client for `account`: its own credentials, or the member role assumed there. */
  const forAccount = <C extends AnyClient>(
    service: string,
    region: string,
    account: string | undefined,
    make: (config: {
      region: string;
      endpoint?: string;
      credentials?: Keys | (() => Promise<Keys>);
      requestHandler: ReturnType<typeof requestHandlerOptions>;
    }) => C,
  ): C =>
    options.memberRole && account
      ? cached(`${service}/${account}/${region}`, () =>
          make({ ...base, region, credentials: memberCredentials(region, account) }),
        )
      : cached(`${service}/${region}`, () => make({ ...base, region }));
  return {
    config: (region, account) =>
      forAccount('config', region, account, (c) => new ConfigServiceClient(c)),
    securityHub: (region, account) =>
      forAccount('securityhub', region, account, (c) => new SecurityHubClient(c)),
    sqs: (region) =>
      cached(
        `sqs/${region}`,
        () =>
          new SQSClient({
            ...base,
            region,
            requestHandler: requestHandlerOptions(timeouts, LONG_POLL_ALLOWANCE_MS),
            // Since SDK 3.507.0 each call goes to its queue URL's host, with a
            // console warning when that differs from the endpoint the SDK resolved,
            // unless useQueueUrlAsEndpoint is false
            // (https://github.com/aws/aws-sdk-js-v3/blob/main/packages/middleware-sdk-sqs/src/queue-url.ts).
            // A configured endpoint (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL,
            // endpoint_url) must win, as for every other service.
            ...(options.sqsEndpointConfigured || emulator ? { useQueueUrlAsEndpoint: false } : {}),
          }),
      ),
    sts: (region, account) => forAccount('sts', region, account, (c) => new STSClient(c)),
    async defaultRegion() {
      if (emulator) return emulator.region;
      const probe = new STSClient({});
      try {
        return await probe.config.region();
      } catch (error) {
        throw new Error(
          'no AWS region: pass --regions, set AWS_REGION, or give the profile a region',
          { cause: error },
        );
      } finally {
        probe.destroy();
      }
    },
    destroy() {
      for (const client of made.values()) client.destroy();
      made.clear();
    },
  };
}

/**
 * Whether the SDK's own rules give SQS an endpoint: AWS_ENDPOINT_URL_SQS,
 * AWS_ENDPOINT_URL, or endpoint_url in the profile (or its services section),
 * unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * Asked of the SDK rather than read here, so that both agree.
 */
export async function sqsEndpointConfigured(): Promise<boolean> {
  const probe = new SQSClient({});
  try {
    return (await probe.config.serviceConfiguredEndpoint?.()) !== undefined;
  } finally {
    probe.destroy();
  }
}

/**
 * The region of an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>,
 * also the legacy https://<region>.queue.amazonaws.com/… form); null for an
 * endpoint that names none (an emulator, a VPC endpoint).
 */
/** The region of a queue: its URL's, else the SDK's own (AWS_REGION, the profile). */
export async function regionOfQueue(
  clients: Pick<AwsClients, 'defaultRegion'>,
  queueUrl: string,
): Promise<string> {
  return queueRegion(queueUrl) ?? (await clients.defaultRegion());
}

export function queueRegion(queueUrl: string): string | null {
  let host: string;
  try {
    host = new URL(queueUrl).hostname;
  } catch {
    throw new Error(`queue URL '${queueUrl}' is not a URL`);
  }
  const match =
    /^(?:sqs\.)?([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+)\.(?:queue\.)?amazonaws\.com(?:\.cn)?$/.exec(
      host,
    );
  return match?.[1] ?? null;
}
