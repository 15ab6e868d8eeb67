import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';

/** moto's account id. */
export const MOTO_ACCOUNT = '123456789012';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/**
 * A Config client for moto. moto writes Config's timestamp members in a form
 * the SDK refuses; startMotoServer's endpoint corrects them on the wire
 * (libs/testing/src/moto-wire.ts).
 */
export function motoConfigClient(endpoint: string, region = 'us-east-1'): ConfigServiceClient {
  return new ConfigServiceClient({ endpoint, region, credentials });
}

export function motoS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
}

export function motoIamClient(endpoint: string): IAMClient {
  return new IAMClient({ endpoint, region: 'us-east-1', credentials });
}

export {
  putAccountPublicAccessBlock,
  type PublicAccessBlockSettings,
} from '../../src/testing/account-block.js';
