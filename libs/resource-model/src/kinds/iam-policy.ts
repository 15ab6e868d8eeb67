import { z } from 'zod';
import { PolicyStatement } from '../common.js';

/**
 * iam.policy — what a policy document, or a principal with its policies, allows:
 * AWS managed policy, role and user (inline policies are part of the role or user),
 * Azure role definition.
 */
export const IamPolicyProperties = z.object({
  /** "policy" | "role" | "user" | "group" | "roleDefinition". */
  principalType: z.string(),
  /** Azure: "BuiltInRole" | "CustomRole"; AWS: "AWS" for AWS-managed policies, "Customer" otherwise. */
  managedBy: z.string().nullable(),
  /** Every statement of every attached inline or default-version document, decoded. */
  statements: z.array(PolicyStatement),
  /** Managed policies attached to a role, user or group: ARN and name. */
  attachedPolicies: z.array(z.object({ id: z.string(), name: z.string().nullable() })).nullable(),
  /** A role's trust policy (who may assume it), decoded. */
  trustPolicy: z.array(PolicyStatement).nullable(),
  /** Azure: where the role definition can be assigned. */
  assignableScopes: z.array(z.string()).nullable(),
});
export type IamPolicyProperties = z.infer<typeof IamPolicyProperties>;
