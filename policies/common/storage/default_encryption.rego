# METADATA
# title: Storage has no default encryption at rest
# description: |
#   New objects are not encrypted by default. The often-copied version of this
#   check is inverted (it flags buckets that ARE AES256-encrypted); this one
#   flags only storage that reports no default encryption. A source that does
#   not report encryption leaves it unknown, which is not a violation: since
#   January 2023 every S3 bucket encrypts new objects with SSE-S3. Cloud Storage
#   always encrypts at rest, so GCP buckets never violate it.
# custom:
#   id: DD-STORAGE-003
#   severity: MEDIUM
#   kinds: [storage.bucket]
#   frameworks:
#     cis-aws-1.4: ["2.1.1"]
#     nist-800-53: ["SC-28"]
#   remediation:
#     aws: Add a default encryption rule (SSE-S3 or SSE-KMS) with s3api put-bucket-encryption.
#     azure: Turn blob service encryption back on for the storage account.
#     default: Turn on encryption at rest for this storage.
package drift.rules.storage.default_encryption

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"encryption": resource.properties.encryption}} if {
	resource.kind == "storage.bucket"
	resource.properties.encryption.atRest == false
	message := text.join([labels.describe(resource), " has no default encryption at rest."])
}
