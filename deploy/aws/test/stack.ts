// The deployment the docs describe (docs/aws.md, "Deploy with CloudFormation"), against
// moto: `aws cloudformation package` (zip the Code folder, upload it, point Code at it),
// then CreateStack and wait, as `aws cloudformation deploy` does.
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  type CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  waitUntilStackCreateComplete,
  type Capability,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { REGION, TEST_CREDENTIALS } from '@drift-detective/provider-aws/testing';
import { resourceOf, templatePath, type Json, type Template } from './template.js';
import { zipDirectory } from './zip.js';

export const clientOptions = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
});

export interface Packaged {
  readonly template: Template;
  readonly bucket: string;
  readonly key: string;
  /** The zip's SHA-256, base64: what Lambda reports as the function's CodeSha256. */
  readonly codeSha256: string;
}

/**
 * What `aws cloudformation package --s3-bucket BUCKET` does to the function: its local
 * Code folder (relative to the template) zipped, uploaded under the zip's MD5 as key,
 * and Code replaced by {S3Bucket, S3Key}
 * (https://docs.aws.amazon.com/cli/latest/reference/cloudformation/package.html).
 */
export async function packageTemplate(
  endpoint: string,
  template: Template,
  bucket: string,
): Promise<Packaged> {
  const fn = resourceOf(template, 'Function', 'AWS::Lambda::Function');
  const code = fn.Properties['Code'];
  if (typeof code !== 'string') throw new Error(`Function Code is not a local folder: ${code}`);
  const zip = await zipDirectory(path.resolve(path.dirname(templatePath), code));
  const key = createHash('md5').update(zip).digest('hex');
  const s3 = new S3Client({ ...clientOptions(endpoint), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: zip }));
  s3.destroy();
  const packaged = structuredClone(template) as Template;
  resourceOf(packaged, 'Function', 'AWS::Lambda::Function').Properties['Code'] = {
    S3Bucket: bucket,
    S3Key: key,
  };
  return {
    template: packaged,
    bucket,
    key,
    codeSha256: createHash('sha256').update(zip).digest('base64'),
  };
}

/**
 * CreateStack with the capabilities `deploy --capabilities` names; waits for
 * CREATE_COMPLETE and answers the stack's outputs. A failed stack throws with its events.
 */
export async function createStack(
  cfn: CloudFormationClient,
  input: {
    name: string;
    template: Json | Template;
    parameters: Record<string, string>;
    capabilities: Capability[];
  },
): Promise<Record<string, string>> {
  await cfn.send(
    new CreateStackCommand({
      StackName: input.name,
      TemplateBody: JSON.stringify(input.template),
      Capabilities: input.capabilities,
      Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
    }),
  );
  try {
    await waitUntilStackCreateComplete(
      { client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
      { StackName: input.name },
    );
  } catch (error) {
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: input.name }));
    const lines = (events.StackEvents ?? []).map((e) =>
      `${e.LogicalResourceId} ${e.ResourceStatus} ${e.ResourceStatusReason ?? ''}`.trimEnd(),
    );
    throw new Error(`stack ${input.name} not created:\n${lines.join('\n')}`, { cause: error });
  }
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: input.name }));
  return Object.fromEntries(
    (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
}

/**
 * A Lambda REST API GET against moto, for the few reads the test needs
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html). moto takes
 * any signature; the scope only tells it which service is asked.
 */
export async function lambdaGet<T>(endpoint: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${endpoint}${pathAndQuery}`, {
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${REGION}/lambda/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A signature moto accepts: it reads only the service (and region) of the credential scope. */
const motoAuthorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

/**
 * Secrets Manager CreateSecret against moto, the one call the test makes of it
 * (awsJson1_1: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html);
 * answers the secret's ARN. A JSON call of our own, like lambdaGet: the package's
 * dependencies are the deployment's, and only the adapter reads secrets.
 */
export async function createSecret(endpoint: string, name: string, value: string): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      Authorization: motoAuthorization('secretsmanager'),
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'secretsmanager.CreateSecret',
    },
    body: JSON.stringify({ Name: name, SecretString: value }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`CreateSecret ${name}: HTTP ${response.status} ${text}`);
  return (JSON.parse(text) as { ARN: string }).ARN;
}

/**
 * IAM GetRolePolicy against moto (the query protocol:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html): the inline
 * policy document as moto answers it, decoded from the XML (URL-encoded JSON there; moto
 * may hold a role CloudFormation created with its document as a dict, so the caller reads
 * what it gets as text).
 */
export async function rolePolicyText(
  endpoint: string,
  roleName: string,
  policyName: string,
): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      Authorization: motoAuthorization('iam'),
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    },
    body: new URLSearchParams({
      Action: 'GetRolePolicy',
      Version: '2010-05-08',
      RoleName: roleName,
      PolicyName: policyName,
    }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GetRolePolicy ${roleName}: HTTP ${response.status} ${text}`);
  const document = /<PolicyDocument>([\s\S]*?)<\/PolicyDocument>/.exec(text)?.[1];
  if (document === undefined)
    throw new Error(`GetRolePolicy ${roleName}: no PolicyDocument in ${text}`);
  const xmlDecoded = document
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  try {
    return decodeURIComponent(xmlDecoded);
  } catch {
    return xmlDecoded;
  }
}
