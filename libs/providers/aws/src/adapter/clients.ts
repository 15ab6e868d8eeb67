import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The SDK clients the adapter talks through, one per service and region.
 * Each is built with no credentials and no endpoint of ours: the SDK's default
 * credential chain (environment, profile, SSO, container and instance roles)
 * and its standard endpoint variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html) decide.
 */
export interface AwsClients {
  config(region: string): ConfigServiceClient;
  securityHub(region: string): SecurityHubClient;
  sqs(region: string): SQSClient;
  sts(region: string): STSClient;
  /** The region the SDK resolves on its own (AWS_REGION, the profile); throws when none is set. */
  defaultRegion(): Promise<string>;
  destroy(): void;
}

type AnyClient = ConfigServiceClient | SecurityHubClient | SQSClient | STSClient;

export function createAwsClients(): AwsClients {
  const made = new Map<string, AnyClient>();
  const cached = <C extends AnyClient>(service: string, region: string, make: () => C): C => {
    const key = `${service}/${region}`;
    let client = made.get(key);
    if (!client) {
      client = make();
      made.set(key, client);
    }
    return client as C;
  };
  return {
    config: (region) => cached('config', region, () => new ConfigServiceClient({ region })),
    securityHub: (region) => cached('securityhub', region, () => new SecurityHubClient({ region })),
    sqs: (region) => cached('sqs', region, () => new SQSClient({ region })),
    sts: (region) => cached('sts', region, () => new STSClient({ region })),
    async defaultRegion() {
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
 * The region of an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>,
 * also the legacy https://<region>.queue.amazonaws.com/… form); null for an
 * endpoint that names none (an emulator, a VPC endpoint).
 */
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
