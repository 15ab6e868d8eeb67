import { z } from 'zod';
import { AddressSpan } from './address-span.js';

/**
 * Building blocks shared by several kinds. Every field that a source may not
 * report is nullable: null means "unknown", which rules treat as "cannot
 * decide" — never as compliant, never as violated.
 */

export const PROVIDERS = ['aws', 'azure', 'gcp'] as const;
export const Provider = z.enum(PROVIDERS);
export type Provider = z.infer<typeof Provider>;

/** A boolean the source may not report. */
export const Tristate = z.boolean().nullable();

/** A statement of an AWS-style policy document (identity or resource policy), decoded. */
export const PolicyStatement = z.object({
  /** Which document it came from: "inline:<name>", "managed:<arn>", "bucketPolicy", "trustPolicy", "resourcePolicy", "keyPolicy", "roleDefinition". */
  source: z.string(),
  sid: z.string().nullable(),
  effect: z.enum(['Allow', 'Deny']),
  /** Action / NotAction as lists (a single string becomes a one-item list); null when absent. */
  actions: z.array(z.string()).nullable(),
  notActions: z.array(z.string()).nullable(),
  resources: z.array(z.string()).nullable(),
  notResources: z.array(z.string()).nullable(),
  /**
   * Principal as a list of {type, id}; `"Principal": "*"` becomes [{type: "*", id: "*"}] and
   * `{"AWS": "*"}` becomes [{type: "AWS", id: "*"}]. null when the statement has no
   * Principal (an identity policy).
   */
  principals: z.array(z.object({ type: z.string(), id: z.string() })).nullable(),
  notPrincipals: z.array(z.object({ type: z.string(), id: z.string() })).nullable(),
  /** Condition block as operator → key → values (values always lists of strings); null when absent. */
  conditions: z.record(z.string(), z.record(z.string(), z.array(z.string()))).nullable(),
});
export type PolicyStatement = z.infer<typeof PolicyStatement>;

/** One IAM binding (GCP IAM policies; also any provider's role → members grant). */
export const IamBinding = z.object({
  role: z.string(),
  /** Members with their type prefix as the provider writes them: "user:a@b", "allUsers", "serviceAccount:x". */
  members: z.array(z.string()),
  /** CEL condition expression when the binding is conditional. */
  condition: z.string().nullable(),
});
export type IamBinding = z.infer<typeof IamBinding>;

/** An inclusive port range; a single port has from === to. */
export const PortRange = z.object({ from: z.number().int(), to: z.number().int() });
export type PortRange = z.infer<typeof PortRange>;

/** An inclusive IPv4/IPv6 address range, for firewall rules that are written as start–end. */
export const AddressRange = z.object({
  name: z.string().nullable(),
  /** CIDR when the source writes one ("0.0.0.0/0", "10.0.0.0/8"); a bare address becomes /32 or /128. */
  cidr: z.string().nullable(),
  startIp: z.string().nullable(),
  endIp: z.string().nullable(),
  /** The same addresses as numbers (addressSpan of the CIDR, or of start–end); null when unreadable. */
  span: AddressSpan.nullable(),
});
export type AddressRange = z.infer<typeof AddressRange>;

/** A field the resource's last change touched (from a change event's diff). */
export const FieldChange = z.object({
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const Change = z.object({
  changedBy: z.string().optional(),
  changedAt: z.string().optional(),
  /** "create" | "update" | "delete" when the source says so. */
  changeType: z.string().optional(),
  fields: z.array(FieldChange).optional(),
  /** Ids of the audit events behind the change (CloudTrail event ids, Activity Log ids…). */
  relatedEvents: z.array(z.string()).optional(),
});
export type Change = z.infer<typeof Change>;
