# METADATA
# title: Audit logs not encrypted with a customer-managed key
# description: |
#   The trail's log files are encrypted only with S3-managed keys (no
#   kmsKeyId), so anyone who can read the log bucket can read the logs: with
#   SSE-KMS, reading also takes kms:Decrypt on a key the account controls and
#   whose use is itself logged. Unknown (an item that is not a whole trail)
#   decides nothing.
#   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
# custom:
#   id: DD-LOG-003
#   severity: MEDIUM
#   kinds: [audit.trail]
#   frameworks:
#     cis-aws-3.0: ["3.5"]
#     nist-800-53: ["AU-9", "SC-28"]
#   remediation:
#     aws: Encrypt the trail's logs with a KMS key (aws cloudtrail update-trail --name TRAIL --kms-key-id KEY).
#     default: Encrypt the audit logs with a customer-managed key.
package drift.rules.logging.log_encryption

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"kmsEncrypted": false}} if {
	resource.kind == "audit.trail"
	resource.properties.kmsEncrypted == false
	message := text.join([labels.describe(resource), " does not encrypt its log files with a KMS key."])
}
