import { z } from 'zod';
import { IamBinding, PolicyStatement, Tristate } from '../common.js';

/** serverless.function — Lambda function, Azure Web/Function app, Cloud Function. */
export const ServerlessFunctionProperties = z.object({
  runtime: z.string().nullable(),
  /** Execution identity: role ARN, managed identity, service account e-mail. */
  identity: z.string().nullable(),
  /** Resource policy statements (AWS Lambda), decoded. */
  policy: z.array(PolicyStatement).nullable(),
  /** IAM bindings (GCP). */
  iamBindings: z.array(IamBinding).nullable(),
  /** Azure: httpsOnly; GCP: httpsTrigger.securityLevel SECURE_ALWAYS. */
  httpsOnly: Tristate,
  minimumTlsVersion: z.string().nullable(),
});
export type ServerlessFunctionProperties = z.infer<typeof ServerlessFunctionProperties>;
