# METADATA
# title: Storage versioning is off
# description: |
#   Overwritten or deleted objects cannot be recovered. AWS: bucket versioning
#   not Enabled (Off or Suspended). Azure: blob versioning off, when the blob
#   service is in the inventory. GCP: versioning.enabled not true.
# custom:
#   id: DD-STORAGE-005
#   severity: LOW
#   kinds: [storage.bucket]
#   frameworks:
#     nist-800-53: ["CP-9", "SI-12"]
#   remediation:
#     aws: Enable bucket versioning (s3api put-bucket-versioning --versioning-configuration Status=Enabled).
#     azure: Enable blob versioning on the storage account's blob service.
#     gcp: Enable object versioning (gcloud storage buckets update --versioning).
#     default: Turn on versioning.
package drift.rules.storage.versioning

import data.drift.lib.labels
import data.drift.lib.text

rule_id := rego.metadata.chain()[1].annotations.custom.id

resource := input.resource

deny contains {"message": message, "details": {"versioning": resource.properties.versioning}} if {
	resource.kind == "storage.bucket"
	resource.properties.versioning.enabled == false
	message := text.join([labels.describe(resource), " does not keep object versions. Versioning must be enabled."])
}
