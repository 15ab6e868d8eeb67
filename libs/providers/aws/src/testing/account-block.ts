import { ACCOUNT } from './config-events.js';

export interface PublicAccessBlockSettings {
  readonly BlockPublicAcls: boolean;
  readonly IgnorePublicAcls: boolean;
  readonly BlockPublicPolicy: boolean;
  readonly RestrictPublicBuckets: boolean;
}

/**
 * S3 Control PutPublicAccessBlock: the account-level Block Public Access
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html),
 * which moto's Config reports as the AWS::S3::AccountPublicAccessBlock item.
 * The documented REST call itself: the S3 Control SDK client puts the account
 * id in the host name ({AccountId}.s3-control…), which a loopback IP endpoint
 * cannot take; moto_server routes /v20180820/ paths signed for "s3" to S3 Control.
 */
export async function putAccountPublicAccessBlock(
  endpoint: string,
  settings: PublicAccessBlockSettings,
): Promise<void> {
  const fields = Object.entries(settings)
    .map(([name, value]) => `<${name}>${String(value)}</${name}>`)
    .join('');
  const response = await fetch(`${endpoint}/v20180820/configuration/publicAccessBlock`, {
    method: 'PUT',
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20261101/us-east-1/s3/aws4_request`,
      'x-amz-account-id': ACCOUNT,
      'Content-Type': 'application/xml',
    },
    body: `<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${fields}</PublicAccessBlockConfiguration>`,
  });
  if (response.status !== 200) {
    throw new Error(`PutPublicAccessBlock answered ${response.status}: ${await response.text()}`);
  }
}
